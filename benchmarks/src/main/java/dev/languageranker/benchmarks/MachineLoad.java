package dev.languageranker.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * What else the machine was doing: benchmarks on a shared host are only comparable together with
 * the load average and how much CPU this process actually got.
 */
public final class MachineLoad {

  private MachineLoad() {}

  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** CPU time of this whole process (all threads, including PyTorch's), in nanoseconds. */
  public static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    if (bean instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) bean).getProcessCpuTime();
    }
    return -1;
  }
}
