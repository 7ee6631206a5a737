package dev.languageranker.ranking;

import dev.languageranker.events.Strategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The ranker service's meters, named once. */
public final class RankerMetrics {
  private final MeterRegistry registry;
  private final RankerRegistry rankers;
  private final Set<String> gaugedRankerIds = ConcurrentHashMap.newKeySet();
  private final Timer rankingLatency;
  private final Timer answerLatency;

  public RankerMetrics(MeterRegistry registry, RankerRegistry rankers) {
    this.registry = registry;
    this.rankers = rankers;
    this.rankingLatency = Timer.builder("lr.ranker.ranking.latency").description("Time to score one batch of groups")
        .publishPercentileHistogram().register(registry);
    this.answerLatency = Timer.builder("lr.ranker.answer.latency")
        .description("From a group's first candidate to its answer").publishPercentileHistogram().register(registry);
  }

  void ranked(Strategy strategy, boolean complete, long latencyMs) {
    Counter.builder("lr.ranker.groups").description("Groups ranked")
        .tag("strategy", strategy.name()).tag("complete", String.valueOf(complete))
        .register(registry).increment();
    answerLatency.record(Duration.ofMillis(Math.max(0, latencyMs)));
  }

  void batchScored(Duration took) {
    rankingLatency.record(took);
  }

  void dropped(String reason) {
    Counter.builder("lr.ranker.candidates.dropped").description("Late or duplicate candidates dropped")
        .tag("reason", reason).register(registry).increment();
  }

  void swapped(String rankerId, long version) {
    Counter.builder("lr.ranker.swaps").description("Ranker versions swapped in").tag("ranker_id", rankerId)
        .register(registry).increment();
    if (gaugedRankerIds.add(rankerId)) {
      Gauge.builder("lr.ranker.active.version", rankers,
          r -> r.active(rankerId).map(LoadedRanker::version).orElse(-1L).doubleValue())
          .description("Active version per rankerId (-1: none, fallback)").tag("ranker_id", rankerId)
          .register(registry);
    }
  }

  void refused(String rankerId, String reason) {
    Counter.builder("lr.ranker.releases.refused").description("Ranker releases refused by validation")
        .tag("ranker_id", rankerId).tag("reason", reason).register(registry).increment();
  }

  void featuresRefused(String rankerId, String reason) {
    Counter.builder("lr.ranker.features.refused")
        .description(
            "Groups a ranker version refused because their features' layer, dim or pooling differ; they fall back")
        .tag("ranker_id", rankerId).tag("reason", reason).register(registry).increment();
  }

  void pinnedVersionMissing(String rankerId) {
    Counter.builder("lr.ranker.pinned.missing").description("Requests pinning a version this instance does not hold")
        .tag("ranker_id", rankerId).register(registry).increment();
  }
}
