package dev.languageranker.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory from Linux's {@code /proc/self/status} (VmHWM), which {@link #resetPeak()} sets
 * back to the current size (writing 5 to {@code /proc/self/clear_refs}), so a run can report its own peak. Elsewhere
 * both do nothing and the peak is 0.
 */
final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  static void resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // not Linux, or not allowed: the peak is then the process's since it started
    }
  }

  /** Peak resident set size in MiB, 0 when unknown. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return 0;
  }
}
