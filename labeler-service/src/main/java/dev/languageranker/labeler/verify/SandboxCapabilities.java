package dev.languageranker.labeler.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operating system lets the sandbox enforce, probed at run time by trying each mechanism once.
 *
 * @param python the absolute path of the Python executable
 * @param dropPrivileges runs the program as an unprivileged user ({@code setpriv}; needs root)
 * @param resourceLimits CPU, memory, process, file-size limits ({@code prlimit})
 * @param networkIsolation an empty network namespace ({@code unshare --net})
 * @param filesystemIsolation private mount and PID namespaces: every inherited mount read-only, a size-capped tmpfs as the only writable place, all processes killed with the run
 */
public record SandboxCapabilities(
    Path python, boolean dropPrivileges, boolean resourceLimits, boolean networkIsolation,
    boolean filesystemIsolation) {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxCapabilities.class);
  static final String SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin";

  /** What is not enforced on this machine, in words; empty when everything is. */
  public List<String> notEnforced() {
    List<String> missing = new ArrayList<>();
    if (!dropPrivileges) {
      missing.add(
          "programs run as the labeler's own user (setpriv needs root): they can write wherever that user can unless filesystem isolation holds");
    }
    if (!resourceLimits) {
      missing.add(
          "no CPU, memory, process-count or file-size limits (prlimit unavailable); only the wall-clock timeout and output cap apply");
    }
    if (!networkIsolation) {
      missing.add("programs can use the network (unshare --net not permitted)");
    }
    if (!filesystemIsolation) {
      missing.add(
          "no private read-only filesystem view, tmpfs disk cap or PID namespace (unshare --mount --pid not permitted): writes are limited only by file permissions, and forked processes that outlive the run may survive");
    }
    return missing;
  }

  /** Probes each mechanism with a harmless command; throws {@link IllegalStateException} when Python cannot run at all. */
  public static SandboxCapabilities probe(SandboxSettings settings) {
    Path python = resolvePython(settings.python());
    if (!succeeds(List.of(python.toString(), "-I", "-c", "pass"))) {
      throw new IllegalStateException("cannot run " + python + " -I -c pass");
    }
    boolean root = isRoot();
    String uid = Integer.toString(settings.uidBase());
    boolean drop = root && succeeds(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
        "--no-new-privs", "--", python.toString(), "-I", "-c", "pass"));
    boolean limits = succeeds(
        List.of("prlimit", "--cpu=2", "--nproc=64", "--fsize=1048576", "--", python.toString(), "-I", "-c", "pass"));
    boolean network = succeeds(List.of("unshare", "--net", "--", "true"));
    boolean filesystem = root && probeFilesystemIsolation(settings, network);
    SandboxCapabilities capabilities = new SandboxCapabilities(python, drop, limits, network, filesystem);
    if (capabilities.notEnforced().isEmpty()) {
      LOG.info("Code sandbox: {} as uid {}+, limits, no network, read-only filesystem with a tmpfs box", python, uid);
    } else {
      capabilities.notEnforced().forEach(gap -> LOG.warn("Code sandbox does not enforce: {}", gap));
    }
    return capabilities;
  }

  private static boolean probeFilesystemIsolation(SandboxSettings settings, boolean network) {
    Path run = null;
    try {
      run = Files.createTempDirectory(settings.workRoot(), "lr-sandbox-probe-");
      Files.createDirectory(run.resolve("box"));
      Files.writeString(run.resolve("harness.py"), "");
      Files.writeString(run.resolve("job.json"), "{}");
      List<String> command = new ArrayList<>(
          SandboxCommand.namespacePrefix(network, run, settings.uidBase(), settings.diskBytes()));
      command.add("true");
      return succeeds(command);
    } catch (IOException e) {
      return false;
    } finally {
      if (run != null) {
        RunDirectory.deleteQuietly(run);
      }
    }
  }

  private static Path resolvePython(String python) {
    if (python.contains("/")) {
      return Path.of(python);
    }
    for (String dir : SANDBOX_PATH.split(":")) {
      Path candidate = Path.of(dir, python);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(python + " not found on " + SANDBOX_PATH);
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static boolean succeeds(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(Map.of("PATH", SANDBOX_PATH, "LANG", "C.UTF-8"));
    try {
      Process process = builder.start();
      try (InputStream out = process.getInputStream()) {
        byte[] output = out.readNBytes(4096);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return false;
        }
        if (process.exitValue() != 0) {
          LOG.debug("Sandbox probe {} failed: {}", command.get(0), new String(output, StandardCharsets.UTF_8).strip());
        }
        return process.exitValue() == 0;
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing the sandbox", e);
    }
  }

}
