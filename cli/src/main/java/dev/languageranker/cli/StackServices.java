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
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The pipeline's services by name, each with what it does and how to start it: the one place the service commands
 * ({@code generator}, {@code ranker}, ...) and {@code local} get them from.
 */
final class StackServices {
  /** Starts a service against a configuration, reporting into its metrics. */
  interface Starter extends BiFunction<LrConfig, ServiceMetrics, RunningService> {}

  /** A service: its command's description (lines of {@code --help}) and its starter. */
  record Service(String name, List<String> description, Starter starter) {}

  static final String GENERATOR = GeneratorService.NAME;
  static final String RANKER = RankerService.NAME;
  static final String LABELER = LabelerService.NAME;
  static final String TRAINER = TrainerService.NAME;

  private static final Map<String, Service> SERVICES = new LinkedHashMap<>();

  static {
    // Start order of local: consumers of a topic before its producers, the model-loading generator last of the
    // request path, so the first prompts find everything ready.
    add(LABELER, LabelerService::start,
        "Runs the labeler service: verifies candidates against references (math, code, function calls),",
        "accepts external outcomes on lr.verifications, and publishes labeled groups to lr.training-examples.",
        "Instances share the work as one consumer group (application id lr-labeler).");
    add(RANKER, (config, metrics) -> RankerService.start(config, metrics, new TaskAnswerKeys()),
        "Runs the ranker service: groups candidates per request, ranks them with the request's ranker",
        "version (or a fallback) and emits one answer per request to lr.answers; hot-swaps versions published on",
        "lr.ranker-models. Instances share the work as one consumer group (application id lr-ranker).");
    add(GENERATOR, GeneratorService::start,
        "Runs the generator service: reads prompts from lr.prompts, samples K candidates per prompt with",
        "the base model (generator.model.dir) and publishes them with their hidden-state features to lr.candidates,",
        "each prompt's group in one transaction with its offsets; unservable prompts go to lr.dead-letters.",
        "Instances share the work as one consumer group (lr-generator), e.g. one per GPU.");
    add(TRAINER, TrainerService::start,
        "Runs the trainer service: keeps a bounded on-disk training set per rankerId, retrains on a count or",
        "time trigger, gates each challenger against what ranker services serve now (paired bootstrap on held-out",
        "requests) and publishes only significant improvements to lr.ranker-models; every run goes to",
        "lr.training-runs. Instances share rankerIds as one consumer group (lr-trainer), one owner per rankerId.");
  }

  private StackServices() {}

  private static void add(String name, Starter starter, String... description) {
    SERVICES.put(name, new Service(name, List.of(description), starter));
  }

  /** Every service, in start order. */
  static Iterable<Service> all() {
    return SERVICES.values();
  }

  /** Every service name, in start order. */
  static Iterable<String> names() {
    return SERVICES.keySet();
  }

  static boolean known(String name) {
    return SERVICES.containsKey(name);
  }

  /** Whether this build can run the service. */
  static boolean available(String name) {
    return known(name) && SERVICES.get(name).starter() != null;
  }

  static Starter starter(String name) {
    Service service = SERVICES.get(name);
    if (service == null || service.starter() == null) {
      throw new IllegalArgumentException("service '" + name + "' is not available in this build");
    }
    return service.starter();
  }
}
