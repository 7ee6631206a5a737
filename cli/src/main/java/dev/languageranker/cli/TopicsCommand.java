package dev.languageranker.cli;

import dev.languageranker.cli.common.DurationConverter;
import dev.languageranker.cli.common.ConfigOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.embedded.EmbeddedKafka;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.kafka.TopicBootstrapper;
import dev.languageranker.platform.kafka.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Creates the topic catalogue's missing topics on a broker and lists every catalogue topic with its config. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = {"Creates the missing topics of the catalogue (idempotent) and lists each with its partitions,",
        "replication and configs. Existing topics are never altered; differences are reported and exit code 3."})
final class TopicsCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Spec CommandSpec spec;

  @Option(names = "--embedded",
      description = "Start a fresh in-process KRaft broker for this run (temporary data).") boolean embedded;

  @Option(names = "--json", description = "One JSON object per topic instead of a table.") boolean json;

  @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
      description = "Timeout of the admin calls (default: ${DEFAULT-VALUE}).") Duration timeout;

  @Override
  public Integer call() {
    LrConfig config = configOptions.load();
    PrintWriter out = spec.commandLine().getOut();
    if (!embedded) {
      return run(config, out);
    }
    try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
      out.printf("embedded broker %s started in %d ms%n", broker.bootstrapServers(), broker.startupMillis());
      return run(config.with(Map.of(Settings.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers())), out);
    }
  }

  private int run(LrConfig config, PrintWriter out) {
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      TopicBootstrapper bootstrapper = new TopicBootstrapper(admin, config, timeout);
      TopicBootstrapper.Report report = bootstrapper.ensure(Topics.ALL);
      Map<String, TopicBootstrapper.TopicState> states = bootstrapper
          .describe(Topics.ALL.stream().map(Topic::name).toList());
      if (!json) {
        out.printf("created %d, already present %d, mismatched settings %d%n",
            report.created().size(), report.existing().size(), report.mismatches().size());
      }
      ObjectMapper mapper = new ObjectMapper();
      for (Topic<?> topic : Topics.ALL) {
        TopicBootstrapper.TopicState state = states.get(topic.name());
        List<String> shown = shownConfigs(topic);
        if (json) {
          ObjectNode node = mapper.createObjectNode().put("topic", topic.name())
              .put("created", report.created().contains(topic.name()))
              .put("partitions", state.partitions()).put("replicationFactor", state.replicationFactor())
              .put("value", topic.valueType().getSimpleName()).put("key", topic.key());
          ObjectNode configs = node.putObject("configs");
          shown.forEach(k -> configs.put(k, state.configs().get(k)));
          out.println(node);
        } else {
          StringBuilder line = new StringBuilder(String.format("%-22s %-20s partitions=%-2d replication=%d",
              topic.name(), topic.valueType().getSimpleName(), state.partitions(), state.replicationFactor()));
          shown.forEach(k -> line.append(' ').append(k).append('=').append(state.configs().get(k)));
          out.println(line);
        }
      }
      report.mismatches().forEach(m -> out.println("MISMATCH " + m));
      out.flush();
      return report.mismatches().isEmpty() ? 0 : 3;
    }
  }

  private static List<String> shownConfigs(Topic<?> topic) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(topic.configs().keySet());
    keys.add(TopicConfig.CLEANUP_POLICY_CONFIG);
    keys.add(TopicConfig.RETENTION_MS_CONFIG);
    keys.add(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    return List.copyOf(keys);
  }
}
