package dev.languageranker.cli;

import dev.languageranker.cli.common.DurationConverter;
import dev.languageranker.cli.common.ConfigOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.ranker.bundle.BundleExpectations;
import dev.languageranker.ranker.bundle.BundleLoader;
import dev.languageranker.ranker.bundle.BundleRefusedException;
import dev.languageranker.ranker.bundle.ModelBundle;
import dev.languageranker.ranking.RankerAdmin;
import dev.languageranker.ranking.RankerReleases;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Operator commands for ranker versions on lr.ranker-models. */
@Command(name = "rankers", mixinStandardHelpOptions = true,
    description = "Lists, publishes and rolls back ranker versions (lr.ranker-models).",
    subcommands = {RankersCommand.List.class, RankersCommand.Rollback.class, RankersCommand.Publish.class})
final class RankersCommand {

  /** Shared options. */
  static class Common {
    @Mixin ConfigOptions configOptions;
    @Spec CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
        description = "Timeout of the Kafka calls (default: ${DEFAULT-VALUE}).") Duration timeout;

    RankerAdmin admin() {
      return new RankerAdmin(configOptions.load(), timeout);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Shows every ranker's versions still on the topic, the head last, with their held-out metrics.")
  static final class List extends Common implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON object per version.") boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Map<String, java.util.List<RankerRelease>> releases = admin().releases();
      if (releases.isEmpty()) {
        out.println("no rankers on lr.ranker-models");
      }
      ObjectMapper mapper = new ObjectMapper();
      releases.forEach((id, history) -> {
        RankerRelease head = history.get(history.size() - 1);
        for (RankerRelease r : history) {
          boolean isHead = r == head;
          if (json) {
            ObjectNode node = mapper.createObjectNode().put("rankerId", id).put("version", r.getVersion())
                .put("head", isHead).put("architecture", r.getArchitecture().name())
                .put("baseModelId", r.getBaseModelId())
                .put("featureLayer", r.getFeatureLayer()).put("featureDim", r.getFeatureDim())
                .put("parameters", r.getParameterCount()).put("trainingExamples", r.getTrainingExamples())
                .put("publishedAt", r.getPublishedAt().toString());
            if (r.getRollbackOf() != null) {
              node.put("rollbackOf", r.getRollbackOf());
            }
            ObjectNode metrics = node.putObject("metrics");
            r.getMetrics().forEach(metrics::put);
            out.println(node);
          } else {
            out.printf("%-20s v%-5d %-4s %-9s layer=%d dim=%d params=%d published=%s%s metrics=%s%n", id,
                r.getVersion(),
                isHead ? "HEAD" : "", r.getArchitecture(), r.getFeatureLayer(), r.getFeatureDim(),
                r.getParameterCount(),
                r.getPublishedAt(), r.getRollbackOf() == null ? "" : " (rollback of v" + r.getRollbackOf() + ")",
                new java.util.TreeMap<>(r.getMetrics()));
          }
        }
      });
      out.flush();
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Republishes the newest version older than the head as the new head; ranker services swap it in.")
  static final class Rollback extends Common implements Callable<Integer> {
    @Parameters(paramLabel = "RANKER_ID", description = "The ranker to roll back.") String rankerId;

    @Override
    public Integer call() {
      RankerRelease published = admin().rollback(rankerId);
      spec.commandLine().getOut().printf("%s rolled back from v%d to v%d%n", rankerId, published.getRollbackOf(),
          published.getVersion());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Validates a model bundle file (zip) and publishes it as the head of its rankerId.")
  static final class Publish extends Common implements Callable<Integer> {
    @Parameters(paramLabel = "BUNDLE",
        description = "Model bundle file (zip with manifest.json and weights).") Path bundle;

    @Option(names = "--base-model", required = true,
        description = "Id of the base model whose features it reads.") String baseModel;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(bundle)) {
        throw new IllegalArgumentException("no bundle file at " + bundle);
      }
      byte[] bytes = Files.readAllBytes(bundle);
      ModelBundle parsed;
      try (var ranker = BundleLoader.load(bytes, BundleExpectations.any())) { // the full check a ranker service does
        parsed = BundleLoader.read(bytes, BundleExpectations.any());
      } catch (BundleRefusedException e) {
        throw new IllegalArgumentException("bundle " + bundle + " refused (" + e.reason() + "): " + e.getMessage());
      }
      RankerAdmin admin = admin();
      java.util.List<RankerRelease> history = admin.releases().getOrDefault(parsed.manifest().rankerId(),
          java.util.List.of());
      Long previous = history.isEmpty() ? null : history.get(history.size() - 1).getVersion();
      RankerRelease release = RankerReleases.of(parsed, baseModel, previous, Instant.now());
      admin.publish(release);
      spec.commandLine().getOut().printf("published %s v%d (%d parameters)%n", release.getRankerId(),
          release.getVersion(), release.getParameterCount());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
