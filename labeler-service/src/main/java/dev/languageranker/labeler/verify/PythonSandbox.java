package dev.languageranker.labeler.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs untrusted Python in a separate, limited process: a fresh temp directory, a scrubbed environment, the
 * probed isolation mechanisms ({@link SandboxCapabilities}), a wall-clock timeout and an output cap. At most
 * {@link SandboxSettings#concurrency()} runs at once; callers beyond that wait.
 */
public final class PythonSandbox {

  private final SandboxSettings settings;
  private final SandboxCapabilities capabilities;
  private final BlockingQueue<Integer> uids;

  public PythonSandbox(SandboxSettings settings, SandboxCapabilities capabilities) {
    this.settings = settings;
    this.capabilities = capabilities;
    this.uids = new ArrayBlockingQueue<>(settings.concurrency());
    for (int i = 0; i < settings.concurrency(); i++) {
      uids.add(settings.uidBase() + i);
    }
  }

  /** A sandbox with the mechanisms this machine allows. */
  public static PythonSandbox probed(SandboxSettings settings) {
    return new PythonSandbox(settings, SandboxCapabilities.probe(settings));
  }

  public SandboxSettings settings() {
    return settings;
  }

  public SandboxCapabilities capabilities() {
    return capabilities;
  }

  /**
   * Runs {@code harness} (Python source) with {@code job} as {@code job.json} in its working directory, writing
   * {@code stdinLine} to its standard input. Blocks while {@code concurrency} runs are in progress.
   */
  public SandboxRun run(String harness, String job, String stdinLine) throws InterruptedException {
    int uid = uids.take();
    try {
      return runAs(uid, harness, job, stdinLine);
    } finally {
      if (capabilities.dropPrivileges()) {
        awaitNoProcessesOf(uid);
      }
      uids.add(uid);
    }
  }

  private SandboxRun runAs(int uid, String harness, String job, String stdinLine) throws InterruptedException {
    long start = System.nanoTime();
    try (RunDirectory run = RunDirectory.create(settings.workRoot(), harness, job, capabilities.filesystemIsolation(),
        capabilities.dropPrivileges() ? uid : -1)) {
      ProcessBuilder builder = new ProcessBuilder(SandboxCommand.build(capabilities, settings, run.root(), uid))
          .directory(run.box().toFile())
          .redirectErrorStream(true);
      builder.environment().clear(); // nothing of the labeler's environment (credentials, proxies) reaches the program
      builder.environment().put("PATH", SandboxCapabilities.SANDBOX_PATH);
      builder.environment().put("LANG", "C.UTF-8");
      builder.environment().put("HOME", run.box().toString());
      builder.environment().put("TMPDIR", run.box().toString());
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the sandbox", e);
      }
      OutputCollector output = new OutputCollector(process, settings.maxOutputBytes());
      output.start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write((stdinLine + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The program exited or closed stdin before reading: its exit status tells what happened.
      }
      boolean finished = process.waitFor(settings.wallTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        killTree(process);
        process.waitFor(5, TimeUnit.SECONDS);
      }
      // Without a PID namespace, forked children may outlive the program and hold the output pipe open. Only they
      // are killed here: destroying the exited process itself would close its stdout before the reader is done.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      output.awaitEnd();
      long durationMs = (System.nanoTime() - start) / 1_000_000;
      boolean timedOut = !finished && !output.exceeded();
      return new SandboxRun(finished ? process.exitValue() : -1, output.text(), timedOut, output.exceeded(),
          durationMs);
    }
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Waits (briefly) until the kernel has reaped every process of {@code uid}, so the next run starts with its full process limit. */
  private static void awaitNoProcessesOf(int uid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (processCount(uid) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** How many processes run as {@code uid}, read from {@code /proc}. */
  static int processCount(int uid) {
    int count = 0;
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"),
        p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
      for (Path p : proc) {
        try {
          if (Integer.valueOf(uid).equals(Files.getAttribute(p, "unix:uid"))) {
            count++;
          }
        } catch (IOException | RuntimeException e) {
          // The process ended while we looked.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return count;
  }

  /** Reads the program's output on its own thread, up to the cap; past the cap it kills the run. */
  private static final class OutputCollector extends Thread {
    private final Process process;
    private final long cap;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final AtomicBoolean exceeded = new AtomicBoolean();

    OutputCollector(Process process, long cap) {
      super("sandbox-output-" + process.pid());
      setDaemon(true);
      this.process = process;
      this.cap = cap;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          int keep = (int) Math.min(n, cap - buffer.size());
          synchronized (buffer) {
            buffer.write(chunk, 0, Math.max(keep, 0));
          }
          if (keep < n) {
            exceeded.set(true);
            killTree(process);
            return;
          }
        }
      } catch (IOException e) {
        // The stream was closed because the run was killed.
      }
    }

    void awaitEnd() throws InterruptedException {
      join(2000);
      if (isAlive()) {
        try {
          process.getInputStream().close();
        } catch (IOException e) {
          // Closing only unblocks the reader.
        }
        join(1000);
      }
    }

    boolean exceeded() {
      return exceeded.get();
    }

    String text() {
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }

}
