package dev.languageranker.labeler.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line that runs the harness under every mechanism the machine allows. */
final class SandboxCommand {

  private static final String INIT_SCRIPT = loadInitScript();

  private SandboxCommand() {}

  /**
   * The full command: namespaces (with the init script) when available, then resource limits, then the drop to
   * the sandbox user, then Python in isolated mode on the harness.
   */
  static List<String> build(SandboxCapabilities can, SandboxSettings settings, Path run, int uid) {
    List<String> command = new ArrayList<>();
    if (can.filesystemIsolation()) {
      command.addAll(namespacePrefix(can.networkIsolation(), run, uid, settings.diskBytes()));
    } else if (can.networkIsolation()) {
      command.addAll(List.of("unshare", "--net", "--"));
    }
    if (can.resourceLimits()) {
      int cpu = settings.cpuSeconds();
      command.addAll(List.of(
          "prlimit",
          "--cpu=" + cpu + ":" + (cpu + 1), // soft: SIGXCPU; hard one second later: SIGKILL
          "--as=" + settings.memoryBytes(),
          "--nproc=" + settings.maxProcesses(),
          "--fsize=" + settings.maxFileBytes(),
          "--nofile=256",
          "--core=0",
          "--"));
    }
    if (can.dropPrivileges()) {
      command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs", "--"));
    }
    command.addAll(List.of(can.python().toString(), "-I", "-B", "harness.py"));
    return command;
  }

  /** {@code unshare} into new mount and PID (and network) namespaces, running the init script as PID 1. */
  static List<String> namespacePrefix(boolean network, Path run, int uid, long diskBytes) {
    List<String> command = new ArrayList<>(
        List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"));
    if (network) {
      command.add("--net");
    }
    command.addAll(List.of("--", "/bin/sh", "-c", INIT_SCRIPT, "sandbox-init", run.toString(), Integer.toString(uid),
        Long.toString(diskBytes)));
    return command;
  }

  private static String loadInitScript() {
    try (InputStream in = SandboxCommand.class.getResourceAsStream("sandbox_init.sh")) {
      if (in == null) {
        throw new IllegalStateException("sandbox_init.sh missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
