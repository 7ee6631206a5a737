package dev.languageranker.labeler.verify;

/**
 * What one sandboxed run did.
 *
 * @param exitCode the process's exit status (128 + signal when killed), or -1 when it had to be killed
 * @param output stdout and stderr, as far as read (at most the output cap)
 * @param timedOut the wall-clock limit was reached and the run was killed
 * @param outputExceeded the output cap was reached and the run was killed
 * @param durationMs wall-clock time of the run
 */
public record SandboxRun(int exitCode, String output, boolean timedOut, boolean outputExceeded, long durationMs) {

  /** Exit status of a process killed by SIGXCPU, the CPU-time limit's signal. */
  public static final int CPU_LIMIT_EXIT = 128 + 24;

  /** Whether the CPU-time limit stopped the run (SIGXCPU, or the hard limit's SIGKILL). */
  public boolean cpuLimitReached() {
    return exitCode == CPU_LIMIT_EXIT;
  }
}
