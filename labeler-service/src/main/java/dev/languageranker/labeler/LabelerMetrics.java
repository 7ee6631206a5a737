package dev.languageranker.labeler;

import dev.languageranker.events.VerificationOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The labeler's meters, named once: outcomes, verification latency, sandbox timeouts, pending work, examples. */
public final class LabelerMetrics {
  private final MeterRegistry registry;
  private final Map<String, Long> pendingCandidatesByTask = new ConcurrentHashMap<>();
  private final Map<String, Long> pendingVerificationsByTask = new ConcurrentHashMap<>();

  public LabelerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("lr.labeler.pending.candidates", pendingCandidatesByTask,
        m -> m.values().stream().mapToLong(Long::longValue).sum())
        .description("Candidates held in the labeler's store, waiting for a reference or labels")
        .register(registry);
    Gauge.builder("lr.labeler.pending.verifications", pendingVerificationsByTask,
        m -> m.values().stream().mapToLong(Long::longValue).sum())
        .description("Verifications waiting for or running in the worker pool")
        .register(registry);
  }

  /** An outcome accepted into a request's labels. */
  void outcome(VerificationOutcome outcome) {
    Counter.builder("lr.labeler.outcomes").description("Verification outcomes accepted, own and external")
        .tag("verifier", outcome.getVerifier()).tag("verdict", outcome.getVerdict().name())
        .tag("source", outcome.getExternal() ? "external" : "labeler")
        .register(registry).increment();
  }

  /** A verification finished on a worker. */
  void verified(VerificationOutcome outcome, Duration took) {
    Timer.builder("lr.labeler.verification.latency").description("Time to verify one candidate")
        .tag("verifier", outcome.getVerifier()).publishPercentileHistogram()
        .register(registry).record(took);
    if (outcome.getVerdict() == dev.languageranker.events.Verdict.TIMEOUT) {
      registry.counter("lr.labeler.sandbox.timeouts").increment();
    }
  }

  void example(boolean complete) {
    Counter.builder("lr.labeler.examples").description("Training examples published")
        .tag("complete", String.valueOf(complete)).register(registry).increment();
  }

  /** A record about a request that was already finished, or a duplicate candidate. */
  void dropped(String reason) {
    Counter.builder("lr.labeler.dropped").description("Late or duplicate records dropped")
        .tag("reason", reason).register(registry).increment();
  }

  void pending(String task, long candidates, long verifications) {
    pendingCandidatesByTask.put(task, candidates);
    pendingVerificationsByTask.put(task, verifications);
  }

  void taskClosed(String task) {
    pendingCandidatesByTask.remove(task);
    pendingVerificationsByTask.remove(task);
  }
}
