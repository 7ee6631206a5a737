package dev.languageranker.cli;

import dev.languageranker.cli.common.DurationConverter;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.ServiceAccess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Writes the Strimzi KafkaTopic and KafkaUser resources of the deployment (k8s/base/kafka is its output). */
@Command(name = "strimzi", mixinStandardHelpOptions = true,
    description = {"Generates Strimzi KafkaTopic resources from the topic catalogue and KafkaUser resources with each",
        "service's least ACLs (topics read and written, consumer group, transactional ids, internal topics).",
        "Regenerate k8s/base/kafka with: bin/language-ranker strimzi --output k8s/base/kafka"})
public final class StrimziCommand implements Callable<Integer> {
  public static final String TOPICS_FILE = "topics.yaml";
  public static final String USERS_FILE = "users.yaml";

  @Spec CommandSpec spec;

  @Option(names = "--cluster", defaultValue = "lr",
      description = "Name of the Strimzi Kafka cluster (default: ${DEFAULT-VALUE}).") String cluster;

  @Option(names = "--partitions", defaultValue = "6",
      description = "Partitions of topics without a fixed count; KEDA caps replicas at this (default: ${DEFAULT-VALUE}).") int partitions;

  @Option(names = "--replication-factor", defaultValue = "3",
      description = "Replicas per partition (default: ${DEFAULT-VALUE}).") int replicationFactor;

  @Option(names = "--retention", defaultValue = "7d",
      description = "Retention of request-scoped topics, e.g. 7d or 12h (default: ${DEFAULT-VALUE}).") String retention;

  @Option(names = "--authentication", defaultValue = "scram-sha-512",
      description = "KafkaUser authentication: scram-sha-512 or tls (default: ${DEFAULT-VALUE}).") String authentication;

  @Option(names = "--output", paramLabel = "DIR",
      description = "Write topics.yaml and users.yaml here instead of printing them.") Path output;

  @Override
  public Integer call() throws IOException {
    if (partitions < 1 || replicationFactor < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--partitions and --replication-factor must be at least 1");
    }
    try {
      new DurationConverter().convert(retention);
    } catch (CommandLine.TypeConversionException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--retention: " + e.getMessage());
    }
    if (!authentication.equals("scram-sha-512") && !authentication.equals("tls")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--authentication must be scram-sha-512 or tls");
    }
    String topics = topicsYaml();
    String users = usersYaml();
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(topics);
      out.print(users);
      out.flush();
      return 0;
    }
    Files.createDirectories(output);
    Files.writeString(output.resolve(TOPICS_FILE), topics);
    Files.writeString(output.resolve(USERS_FILE), users);
    spec.commandLine().getOut().printf("wrote %s and %s%n", output.resolve(TOPICS_FILE), output.resolve(USERS_FILE));
    spec.commandLine().getOut().flush();
    return 0;
  }

  String topicsYaml() {
    return StrimziResources.render(header("the topic catalogue (platform Topics)"), resources().topics());
  }

  String usersYaml() {
    return StrimziResources.render(header("the services' Kafka access (platform ServiceAccess)"),
        resources().users(ServiceAccess.ALL, authentication));
  }

  private StrimziResources resources() {
    Duration retentionDuration = new DurationConverter().convert(retention);
    LrConfig config = LrConfig.builder().overrides(Map.of(
        Settings.TOPICS_PARTITIONS.key(), String.valueOf(partitions),
        Settings.TOPICS_REPLICATION_FACTOR.key(), String.valueOf(replicationFactor),
        Settings.TOPICS_RETENTION.key(), retentionDuration.toMillis() + "ms")).build();
    return new StrimziResources(cluster, config);
  }

  private String header(String source) {
    return "Generated from " + source + " by 'bin/language-ranker strimzi" + arguments()
        + "'.\nDo not edit: change the source and regenerate (a test compares this file with a fresh copy).";
  }

  private String arguments() {
    return " --cluster " + cluster + " --partitions " + partitions + " --replication-factor " + replicationFactor
        + " --retention " + retention + " --authentication " + authentication;
  }
}
