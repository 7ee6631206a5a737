package dev.languageranker.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import dev.languageranker.events.RankerRelease;

/**
 * The trainer's meters (Prometheus names with {@code _total}/{@code _seconds} added by the registry): runs by
 * decision, run duration by phase, training-set size and pending requests per rankerId, held-out metric per strategy,
 * seconds since the last release, examples stored, skipped and dead-lettered.
 */
final class TrainerMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> doubles = new ConcurrentHashMap<>();
  private final Function<String, Optional<RankerRelease>> heads;

  /** {@code heads} gives the release ranker services serve now per rankerId. */
  TrainerMetrics(MeterRegistry registry, Function<String, Optional<RankerRelease>> heads) {
    this.registry = registry;
    this.heads = heads;
  }

  void run(String rankerId, String decision) {
    Counter.builder("lr.trainer.runs").description("Training runs by decision (PUBLISHED, REJECTED, FAILED)")
        .tag("ranker_id", rankerId).tag("decision", decision).register(registry).increment();
  }

  void phase(String rankerId, String phase, long millis) {
    Timer.builder("lr.trainer.run.duration")
        .description("Duration of a training run's phases (load, train, evaluate, publish, total)")
        .tag("ranker_id", rankerId).tag("phase", phase).register(registry).record(Duration.ofMillis(millis));
  }

  void example(String rankerId, String outcome) {
    Counter.builder("lr.trainer.examples")
        .description("Training examples read: stored, duplicate (already stored) or dead_lettered")
        .tag("ranker_id", rankerId).tag("outcome", outcome).register(registry).increment();
  }

  /** Registers the per-ranker gauges that read the set's state. */
  void watch(RankerTrainingSet set) {
    String id = set.rankerId();
    gauge("lr.trainer.training.set.requests", "Requests in the rankerId's on-disk training set", id, set,
        s -> s.storedRequests());
    gauge("lr.trainer.pending.requests", "New labeled requests since the last run, toward the count trigger", id, set,
        s -> s.requestsSinceRun());
    Gauge.builder("lr.trainer.seconds.since.release", this, m -> m.secondsSinceRelease(id))
        .description(
            "Seconds since the head of lr.ranker-models for the ranker was published (NaN: none, the fallback serves)")
        .tag("ranker_id", id).register(registry);
  }

  void holdout(String rankerId, String strategy, double value) {
    String key = rankerId + "\u0000" + strategy;
    AtomicLong bits = doubles.computeIfAbsent(key, k -> {
      AtomicLong holder = new AtomicLong(Double.doubleToLongBits(Double.NaN));
      Gauge.builder("lr.trainer.holdout.metric", holder, h -> Double.longBitsToDouble(h.get()))
          .description("Held-out accuracy (mean label for real labels) of each strategy in the latest run")
          .tag("ranker_id", rankerId).tag("strategy", strategy).register(registry);
      return holder;
    });
    bits.set(Double.doubleToLongBits(value));
  }

  private double secondsSinceRelease(String rankerId) {
    return heads.apply(rankerId).map(r -> (System.currentTimeMillis() - r.getPublishedAt().toEpochMilli()) / 1000.0)
        .orElse(Double.NaN);
  }

  private <T> void gauge(String name, String description, String rankerId, T target, ToDoubleFunction<T> value) {
    Gauge.builder(name, target, value).description(description).tag("ranker_id", rankerId).register(registry);
  }
}
