package dev.languageranker.labeler.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the code sandbox runs untrusted Python: where, as whom, how many at once, and its limits.
 *
 * @param python the Python executable, a name looked up on the sandbox's PATH or an absolute path
 * @param workRoot where the per-run temp directories are created
 * @param uidBase the first user id the sandbox runs as when it can drop root; run {@code i} of {@code concurrency} uses {@code uidBase + i}, so a fork bomb in one run does not starve the others' process limit
 * @param concurrency how many programs run at once; further runs wait (backpressure)
 * @param wallTimeout wall-clock limit of one run, Python start-up included
 * @param cpuSeconds CPU-time limit (RLIMIT_CPU)
 * @param memoryBytes address-space limit (RLIMIT_AS)
 * @param maxProcesses process limit of the sandbox user (RLIMIT_NPROC)
 * @param maxFileBytes largest file the program may write (RLIMIT_FSIZE)
 * @param diskBytes size of the run's private tmpfs, the total it may write, when mounts can be isolated
 * @param maxOutputBytes stdout and stderr together; more kills the run
 */
public record SandboxSettings(
    String python,
    Path workRoot,
    int uidBase,
    int concurrency,
    Duration wallTimeout,
    int cpuSeconds,
    long memoryBytes,
    int maxProcesses,
    long maxFileBytes,
    long diskBytes,
    long maxOutputBytes) {

  private static final long MIB = 1024L * 1024L;

  public SandboxSettings {
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(workRoot, "workRoot");
    Objects.requireNonNull(wallTimeout, "wallTimeout");
    if (concurrency < 1 || cpuSeconds < 1 || maxProcesses < 1 || memoryBytes < MIB || maxFileBytes < 1
        || diskBytes < MIB || maxOutputBytes < 1) {
      throw new IllegalArgumentException("sandbox limits must be positive (memory and disk at least 1 MiB)");
    }
    if (wallTimeout.isNegative() || wallTimeout.isZero()) {
      throw new IllegalArgumentException("wall timeout must be positive");
    }
  }

  /** Defaults sized for MBPP-style tests: 10 s wall, 5 s CPU, 512 MiB memory, 32 processes, 16 MiB files, 64 MiB disk, 1 MiB output. */
  public static SandboxSettings defaults() {
    return new SandboxSettings(
        "python3", Path.of(System.getProperty("java.io.tmpdir")), 61000, 2, Duration.ofSeconds(10), 5, 512 * MIB, 32,
        16 * MIB, 64 * MIB, MIB);
  }

  public SandboxSettings withWallTimeout(Duration timeout) {
    return new SandboxSettings(python, workRoot, uidBase, concurrency, timeout, cpuSeconds, memoryBytes, maxProcesses,
        maxFileBytes, diskBytes, maxOutputBytes);
  }

  public SandboxSettings withCpuSeconds(int seconds) {
    return new SandboxSettings(python, workRoot, uidBase, concurrency, wallTimeout, seconds, memoryBytes, maxProcesses,
        maxFileBytes, diskBytes, maxOutputBytes);
  }

  public SandboxSettings withConcurrency(int runs) {
    return new SandboxSettings(python, workRoot, uidBase, runs, wallTimeout, cpuSeconds, memoryBytes, maxProcesses,
        maxFileBytes, diskBytes, maxOutputBytes);
  }

  public SandboxSettings withMaxOutputBytes(long bytes) {
    return new SandboxSettings(python, workRoot, uidBase, concurrency, wallTimeout, cpuSeconds, memoryBytes,
        maxProcesses, maxFileBytes, diskBytes, bytes);
  }
}
