package dev.languageranker.platform.service;

import dev.languageranker.platform.metrics.HealthCheck;

/** A started service: something that reports its health and stops cleanly. */
public interface RunningService extends AutoCloseable {
  HealthCheck.Status health();

  @Override
  void close();
}
