package dev.languageranker.platform.service;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.metrics.MetricsServer;
import dev.languageranker.platform.metrics.ServiceMetrics;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service as a process: metrics and health endpoint, the service itself, and a clean stop on SIGTERM or
 * Ctrl-C. Each service's {@code main} and the CLI's service commands use it.
 */
public final class ServiceLauncher {
  private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {}

  /** Starts the service and blocks until the process is asked to stop. */
  public static void runUntilStopped(String name, LrConfig config,
      BiFunction<LrConfig, ServiceMetrics, RunningService> start) throws InterruptedException {
    TorchThreads.apply(config);
    ServiceMetrics metrics = new ServiceMetrics(name);
    int port = config.get(Settings.METRICS_PORT);
    MetricsServer server = port < 0 ? null : new MetricsServer(config.get(Settings.METRICS_HOST), port, metrics);
    RunningService service = start.apply(config, metrics);
    if (server != null) {
      server.addCheck(name, service::health);
      log.info("{} serving /metrics and /health on port {}", name, server.port());
    }
    untilStopped(name, () -> {
      service.close();
      if (server != null) {
        server.close();
      }
      metrics.close();
    });
  }

  /** Blocks until the process is asked to stop (SIGTERM, Ctrl-C), then runs {@code stop} before it exits. */
  public static void untilStopped(String name, Runnable stop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    // The hook does the stopping: the JVM waits for shutdown hooks, not for this thread.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("{} stopping", name);
      stop.run();
      stopped.countDown();
    }, name + "-stop"));
    stopped.await();
  }
}
