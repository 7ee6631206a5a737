package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Untrusted code must not write outside its temp dir, hang the labeler, fill the disk or flood it with output.
 * Each attack is written so that, were the defence missing, the candidate's own assert would pass or the host
 * would see the damage, and the test would fail. Defences the OS cannot provide are skipped with the reason.
 */
class CodeSandboxAttackIT {

  private static final long MIB = 1024L * 1024L;
  private static CodeVerifier verifier;
  private static SandboxCapabilities can;

  @BeforeAll
  static void probeSandbox() {
    SandboxSettings settings = SandboxSettings.defaults().withWallTimeout(Duration.ofSeconds(3)).withCpuSeconds(2)
        .withConcurrency(2);
    PythonSandbox sandbox = PythonSandbox.probed(settings);
    can = sandbox.capabilities();
    verifier = new CodeVerifier(sandbox);
  }

  private static Verification run(String code, String... tests) {
    return verifier.verify("#START OF CODE\n" + code + "\n#END OF CODE", new CodeReference(List.of(tests), ""));
  }

  @Test
  void cannotWriteIntoAWorldWritableDirectoryOutsideItsBox(@TempDir Path hostDir) throws IOException {
    assumeTrue(can.filesystemIsolation() || can.dropPrivileges(),
        "neither a read-only mount namespace nor an unprivileged user is available");
    // Given a host directory anyone may write to (the strongest case: file permissions alone would not stop it)
    Path open = Files.createDirectory(hostDir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path target = open.resolve("pwned.txt");
    assumeTrue(can.filesystemIsolation(),
        "no mount namespace: an unprivileged user can still write into world-writable directories");

    // When the candidate tries to write there
    Verification v = run(
        "def escape(path):\n    try:\n        open(path, 'w').write('x')\n        return True\n    except OSError:\n        return False",
        "assert escape(" + pyString(target.toString()) + ") is False");

    // Then the write failed inside the sandbox and nothing appeared on the host
    assertEquals(Verdict.PASS, v.verdict(), v.detail());
    assertFalse(Files.exists(target), "the candidate wrote " + target);
  }

  @Test
  void writesToTmpAndSharedMemoryNeverReachTheHost() {
    assumeTrue(can.filesystemIsolation() || can.dropPrivileges(), "no isolation mechanism available");
    String name = "lr-escape-" + UUID.randomUUID();
    List<Path> hostPaths = List.of(Path.of("/tmp", name), Path.of("/dev/shm", name), Path.of("/var/tmp", name));

    Verification v = run(
        "def escape(paths):\n    for p in paths:\n        try:\n            open(p, 'w').write('x')\n        except OSError:\n            pass\n    return True",
        "assert escape([" + String.join(", ", hostPaths.stream().map(p -> pyString(p.toString())).toList()) + "])");

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
    for (Path p : hostPaths) {
      assertFalse(Files.exists(p), "the candidate wrote " + p + " on the host");
    }
  }

  @Test
  void canStillWriteInsideItsOwnBox() {
    Verification v = run(
        "def scratch():\n    open('scratch.txt', 'w').write('hello')\n    return open('scratch.txt').read()",
        "assert scratch() == 'hello'");

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
  }

  @Test
  void busyLoopIsStoppedAndReportedAsTimeout() {
    long start = System.nanoTime();

    Verification v = run("def spin():\n    while True:\n        pass", "assert spin()");

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Verdict.TIMEOUT, v.verdict(), v.detail());
    assertTrue(ms < 3000 + 4000, "the labeler waited " + ms + " ms");
  }

  @Test
  void sleepingForeverIsStoppedByTheWallClock() {
    long start = System.nanoTime();

    Verification v = run("import time\ndef nap():\n    time.sleep(3600)", "assert nap()");

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Verdict.TIMEOUT, v.verdict(), v.detail());
    assertTrue(v.detail().contains("wall-clock"), v.detail());
    assertTrue(ms < 3000 + 4000, "the labeler waited " + ms + " ms");
  }

  @Test
  void forkBombHitsTheProcessLimitAndLeavesNoProcessBehind() {
    assumeTrue(can.resourceLimits() && can.dropPrivileges(),
        "RLIMIT_NPROC needs prlimit and a non-root sandbox user (root ignores it)");
    // Given a candidate that forks sleeping children until fork fails, up to 400
    String bomb = String.join("\n",
        "import os, time",
        "def bomb():",
        "    n = 0",
        "    try:",
        "        while n < 400:",
        "            if os.fork() == 0:",
        "                time.sleep(60)",
        "                os._exit(0)",
        "            n += 1",
        "    except OSError:",
        "        pass",
        "    return n");

    // When it runs, Then fork failed well before 400 (the limit is 32 processes for the sandbox user)
    Verification v = run(bomb, "assert bomb() < " + SandboxSettings.defaults().maxProcesses());

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
    // And no process of the sandbox users is left once the verification returned
    for (int i = 0; i < verifier.sandbox().settings().concurrency(); i++) {
      assertEquals(0, PythonSandbox.processCount(verifier.sandbox().settings().uidBase() + i),
          "processes left behind by uid " + (verifier.sandbox().settings().uidBase() + i));
    }
  }

  @Test
  void oneHugeFileStopsAtTheFileSizeLimit() {
    assumeTrue(can.resourceLimits(), "prlimit unavailable: no RLIMIT_FSIZE");
    long want = 64 * MIB;

    Verification v = run(
        fillFunction(),
        "assert fill('big.bin', " + want + ") <= " + SandboxSettings.defaults().maxFileBytes()
            + ", 'wrote past the file-size limit'");

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
  }

  @Test
  void manyFilesUnderTheFileLimitStillCannotFillTheDisk() {
    assumeTrue(can.filesystemIsolation(), "no mount namespace: the total written is not capped by a tmpfs");
    // Given files each under the per-file limit, 40 of them totalling 480 MiB, more than the 64 MiB box
    String code = fillFunction()
        + "\ndef fill_many():\n    total = 0\n    for i in range(40):\n        total += fill('part%d.bin' % i, 12 * 1024 * 1024)\n    return total";

    Verification v = run(code,
        "assert fill_many() <= " + SandboxSettings.defaults().diskBytes() + ", 'wrote past the disk cap'");

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
  }

  @Test
  void floodOfOutputIsCutAtTheCapAndKilled() {
    long start = System.nanoTime();

    Verification v = run("import sys\ndef flood():\n    while True:\n        sys.stdout.write('x' * 65536)",
        "assert flood()");

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Verdict.ERROR, v.verdict(), v.detail());
    assertTrue(v.detail().startsWith("output exceeded"), v.detail());
    assertTrue(ms < 3000, "killed only after " + ms + " ms, not at the cap");
  }

  @Test
  void cannotReachAServerOnTheHostLoopback() throws IOException {
    assumeTrue(can.networkIsolation(), "unshare --net not permitted on this machine");
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String code = String.join("\n",
          "import socket",
          "def reach(port):",
          "    try:",
          "        socket.create_connection(('127.0.0.1', port), timeout=1).close()",
          "        return True",
          "    except OSError:",
          "        return False");

      Verification v = run(code, "assert reach(" + server.getLocalPort() + ") is False");

      assertEquals(Verdict.PASS, v.verdict(), v.detail());
    }
  }

  @Test
  void environmentIsScrubbed() {
    assumeTrue(
        System.getenv().keySet().stream().anyMatch(name -> !Set.of("PATH", "LANG", "HOME", "TMPDIR").contains(name)),
        "the labeler's own environment is already minimal");
    Verification v = run(
        "import os\ndef names():\n    return sorted(os.environ)",
        "assert set(names()) <= {'PATH', 'LANG', 'HOME', 'TMPDIR'}, names()");

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
  }

  @Test
  void memoryBeyondTheLimitIsRefused() {
    assumeTrue(can.resourceLimits(), "prlimit unavailable: no RLIMIT_AS");
    Verification v = run(
        "def hog():\n    try:\n        b = bytearray(2 * 1024 ** 3)\n        return len(b)\n    except MemoryError:\n        return 0",
        "assert hog() == 0");

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
  }

  private static String fillFunction() {
    return String.join("\n",
        "def fill(name, limit):",
        "    written = 0",
        "    chunk = b'\\0' * (1024 * 1024)",
        "    try:",
        "        with open(name, 'wb') as f:",
        "            while written < limit:",
        "                f.write(chunk)",
        "                f.flush()",
        "                written += len(chunk)",
        "    except OSError:",
        "        pass",
        "    return written");
  }

  private static String pyString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
