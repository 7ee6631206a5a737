package dev.languageranker.platform.metrics;

/** A named part of a service that is up or not, with a short detail. */
@FunctionalInterface
public interface HealthCheck {
  Status check();

  /** Result of one check. */
  record Status(boolean up, String detail) {
    public static Status up(String detail) {
      return new Status(true, detail);
    }

    public static Status down(String detail) {
      return new Status(false, detail);
    }
  }
}
