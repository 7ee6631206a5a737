package dev.languageranker.cli;

import dev.languageranker.generator.GeneratorService;
import dev.languageranker.labeler.LabelerService;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.RunningService;
import dev.languageranker.ranking.RankerService;
import dev.languageranker.ranking.TaskAnswerKeys;
import dev.languageranker.trainer.TrainerService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The pipeline's services by name, each with how to start it: the one place the service commands
 * ({@code generator}, {@code ranker}, ...) and {@code local} get their starters from.
 */
final class StackServices {
  /** Starts a service against a configuration, reporting into its metrics. */
  interface Starter extends BiFunction<LrConfig, ServiceMetrics, RunningService> {}

  static final String GENERATOR = GeneratorService.NAME;
  static final String RANKER = RankerService.NAME;
  static final String LABELER = LabelerService.NAME;
  static final String TRAINER = TrainerService.NAME;

  private static final Map<String, Starter> STARTERS = new LinkedHashMap<>();

  static {
    // Start order of local: consumers of a topic before its producers, the model-loading generator last of the
    // request path, so the first prompts find everything ready.
    STARTERS.put(LABELER, LabelerService::start);
    STARTERS.put(RANKER, (config, metrics) -> RankerService.start(config, metrics, new TaskAnswerKeys()));
    STARTERS.put(GENERATOR, GeneratorService::start);
    STARTERS.put(TRAINER, TrainerService::start);
  }

  private StackServices() {}

  /** Every service name, in start order. */
  static Iterable<String> names() {
    return STARTERS.keySet();
  }

  static boolean known(String name) {
    return STARTERS.containsKey(name);
  }

  /** Whether this build can run the service. */
  static boolean available(String name) {
    return STARTERS.get(name) != null;
  }

  static Starter starter(String name) {
    Starter starter = STARTERS.get(name);
    if (starter == null) {
      throw new IllegalArgumentException("service '" + name + "' is not available in this build");
    }
    return starter;
  }
}
