package dev.languageranker.platform.kafka;

import dev.languageranker.platform.config.LrConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's missing topics and reports existing ones whose partitions or configs differ from the
 * catalogue. Idempotent: a second run creates nothing. It never alters an existing topic; an operator decides.
 */
public final class TopicBootstrapper {
  private static final Logger log = LoggerFactory.getLogger(TopicBootstrapper.class);

  private final Admin admin;
  private final LrConfig config;
  private final Duration timeout;

  /** A difference between a topic on the cluster and the catalogue. */
  public record Mismatch(String topic, String property, String expected, String actual) {
    @Override
    public String toString() {
      return topic + ": " + property + " is " + actual + ", the catalogue wants " + expected;
    }
  }

  /** What a run did: topics created, topics already there, and mismatches found among the latter. */
  public record Report(List<String> created, List<String> existing, List<Mismatch> mismatches) {}

  /** One topic as it is on the cluster. */
  public record TopicState(String name, int partitions, int replicationFactor, Map<String, String> configs) {}

  public TopicBootstrapper(Admin admin, LrConfig config, Duration timeout) {
    this.admin = admin;
    this.config = config;
    this.timeout = timeout;
  }

  public Report ensure(Collection<Topic<?>> topics) {
    Set<String> present = await(admin.listTopics().names());
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    List<Topic<?>> missing = topics.stream().filter(t -> !present.contains(t.name())).toList();
    topics.stream().filter(t -> present.contains(t.name())).forEach(t -> existing.add(t.name()));
    if (!missing.isEmpty()) {
      Map<String, KafkaFuture<Void>> results = admin
          .createTopics(missing.stream().map(t -> Topics.newTopic(t, config)).toList()).values();
      for (Topic<?> topic : missing) {
        try {
          await(results.get(topic.name()));
          created.add(topic.name());
          log.info("created topic {}", topic.name());
        } catch (KafkaOperationException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          existing.add(topic.name()); // created concurrently by another instance
        }
      }
    }
    List<Mismatch> mismatches = new ArrayList<>();
    Map<String, TopicState> states = describe(existing);
    for (Topic<?> topic : topics) {
      TopicState state = states.get(topic.name());
      if (state == null) {
        continue;
      }
      int partitions = Topics.partitionsOf(topic, config);
      if (state.partitions() != partitions) {
        mismatches.add(
            new Mismatch(topic.name(), "partitions", String.valueOf(partitions), String.valueOf(state.partitions())));
      }
      Topics.configsOf(topic, config).forEach((key, expected) -> {
        String actual = state.configs().get(key);
        if (!expected.equals(actual)) {
          mismatches.add(new Mismatch(topic.name(), key, expected, String.valueOf(actual)));
        }
      });
    }
    mismatches.forEach(m -> log.warn("topic config mismatch: {}", m));
    return new Report(List.copyOf(created), List.copyOf(existing), List.copyOf(mismatches));
  }

  /**
   * Partitions, replication and every config (defaults included) of the named topics. A topic just created
   * (here or by another instance) takes a moment to reach every broker's metadata, so retriable errors are
   * retried until the timeout.
   */
  public Map<String, TopicState> describe(Collection<String> names) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return describeOnce(names);
      } catch (KafkaOperationException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private Map<String, TopicState> describeOnce(Collection<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, TopicDescription> descriptions = await(admin.describeTopics(names).allTopicNames());
    List<ConfigResource> resources = names.stream()
        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all());
    return names.stream().collect(Collectors.toMap(n -> n, n -> {
      TopicDescription d = descriptions.get(n);
      Map<String, String> values = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, n)).entries().stream()
          .filter(e -> e.value() != null)
          .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, java.util.TreeMap::new));
      return new TopicState(n, d.partitions().size(), d.partitions().get(0).replicas().size(), values);
    }, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaOperationException("topic bootstrap failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaOperationException("topic bootstrap timed out after " + timeout + " (is the broker reachable?)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaOperationException("interrupted", e);
    }
  }
}
