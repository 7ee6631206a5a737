package dev.languageranker.generator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The generator's meters, named once. Rates (prompts/s, candidates/s, tokens/s) are Prometheus {@code rate()} of
 * the counters; dead letters are the platform's {@code lr.dead.letters} with {@code service="generator"}.
 */
public final class GeneratorMetrics {
  private final Counter prompts;
  private final Counter candidates;
  private final Counter tokens;
  private final Counter discardedPrompts;
  private final DistributionSummary batchPrompts;
  private final Timer queueTime;
  private final Timer generationLatency;

  public GeneratorMetrics(MeterRegistry registry, Supplier<Number> queueDepth) {
    prompts = Counter.builder("lr.generator.prompts").description("Prompts whose candidates were committed")
        .register(registry);
    candidates = Counter.builder("lr.generator.candidates").description("Candidates committed to lr.candidates")
        .register(registry);
    tokens = Counter.builder("lr.generator.tokens").description("Tokens sampled in committed candidates")
        .register(registry);
    discardedPrompts = Counter.builder("lr.generator.discarded.prompts")
        .description("Generated prompts thrown away because their partition was revoked or the transaction aborted "
            + "(another attempt serves them)")
        .register(registry);
    batchPrompts = DistributionSummary.builder("lr.generator.batch.size").description("Prompts per forward batch")
        .publishPercentileHistogram().register(registry);
    queueTime = Timer.builder("lr.generator.queue.time")
        .description("From a prompt's record timestamp to the start of its forward batch")
        .publishPercentileHistogram().register(registry);
    generationLatency = Timer.builder("lr.generator.generation.latency")
        .description("Wall time of one forward batch: prefill, sampling and features")
        .publishPercentileHistogram().register(registry);
    Gauge.builder("lr.generator.queue.depth", queueDepth).description("Prompt records read and not yet batched")
        .register(registry);
  }

  void batchStarted(int prompts) {
    batchPrompts.record(prompts);
  }

  void queued(Duration waited) {
    queueTime.record(waited.isNegative() ? Duration.ZERO : waited);
  }

  void generated(Duration took) {
    generationLatency.record(took);
  }

  void committed(int promptCount, int candidateCount, long tokenCount) {
    prompts.increment(promptCount);
    candidates.increment(candidateCount);
    tokens.increment(tokenCount);
  }

  void discarded(int promptCount) {
    discardedPrompts.increment(promptCount);
  }
}
