package dev.languageranker.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples every consumer group's committed offsets and the end offsets of their topics through the admin API, keeps
 * a sliding window per partition, and evaluates each round into a {@link LagSnapshot}: lag in records, exact time
 * lag (the timestamp of the record at the committed offset), rates, time to catch up and a Burrow-style status.
 * One thread calls {@link #poll()}.
 */
public final class LagMonitor implements AutoCloseable {
  private final Admin admin;
  private final RecordTimestamps timestamps;
  private final LagEvaluator evaluator;
  private final Clock clock;
  private final String cluster;
  private final Duration timeout;
  private final Set<String> alwaysMonitoredTopics;
  private final Predicate<String> groupFilter;

  private final Map<GroupPartition, Deque<PartitionSample>> windows = new HashMap<>();
  private final Map<GroupPartition, long[]> lastChange = new HashMap<>(); // {committed, changedAtMillis}
  private final Map<String, Deque<long[]>> topicEnds = new HashMap<>(); // topic -> {atMillis, sum of ends}
  private final Map<TopicPartition, Deque<long[]>> partitionEnds = new HashMap<>(); // {atMillis, end}, for estimates
  private final Map<String, GroupLag> lastSeen = new TreeMap<>();
  private boolean ownsAdmin;

  private record GroupPartition(String group, TopicPartition partition) {}

  /**
   * @param timestampReader a consumer without a group (read_uncommitted) used to read record timestamps
   * @param alwaysMonitoredTopics topics whose offsets are reported even when no group reads them
   * @param groupFilter which groups to show (e.g. hide short-lived readers)
   */
  public LagMonitor(Admin admin, Consumer<byte[], byte[]> timestampReader, LagEvaluator evaluator, Clock clock,
      String cluster, Duration timeout, Collection<String> alwaysMonitoredTopics, Predicate<String> groupFilter) {
    this.admin = admin;
    this.timestamps = new RecordTimestamps(timestampReader, Duration.ofMillis(Math.min(2000, timeout.toMillis())));
    this.evaluator = evaluator;
    this.clock = clock;
    this.cluster = cluster;
    this.timeout = timeout;
    this.alwaysMonitoredTopics = new TreeSet<>(alwaysMonitoredTopics);
    this.groupFilter = groupFilter;
  }

  /**
   * A monitor of every consumer group of the configured cluster, with its own admin client and timestamp reader
   * (a consumer without a group, reading uncommitted records: an open transaction's first record is already
   * waiting to be consumed).
   */
  public static LagMonitor open(LrConfig config, Duration window, Duration timeout) {
    KafkaClientProperties clients = new KafkaClientProperties(config);
    Map<String, Object> adminProps = clients.admin();
    adminProps.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "lr-lag-admin");
    Map<String, Object> props = clients.consumer("unused", "lr-lag-timestamps");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
    LagMonitor monitor = new LagMonitor(Admin.create(adminProps), new KafkaConsumer<>(props),
        new LagEvaluator(window), Clock.systemUTC(), config.get(Settings.DASHBOARD_CLUSTER_NAME), timeout,
        Topics.ALL.stream().map(Topic::name).toList(), group -> true);
    monitor.ownsAdmin = true;
    return monitor;
  }

  /** One round: reads offsets, updates the windows and evaluates every group. */
  public LagSnapshot poll() throws ExecutionException, InterruptedException, TimeoutException {
    long now = clock.millis();
    Collection<GroupListing> listings = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    List<String> ids = listings.stream().map(GroupListing::groupId).filter(groupFilter).sorted().toList();
    Map<String, ConsumerGroupDescription> descriptions = ids.isEmpty() ? Map.of()
        : admin.describeConsumerGroups(ids).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
    ids.forEach(id -> specs.put(id, new ListConsumerGroupOffsetsSpec()));
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = ids.isEmpty() ? Map.of()
        : admin.listConsumerGroupOffsets(specs).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);

    Set<String> topics = new TreeSet<>(alwaysMonitoredTopics);
    committed.values().forEach(m -> m.keySet().forEach(tp -> topics.add(tp.topic())));
    descriptions.values().forEach(d -> d.members().forEach(m -> m.assignment().topicPartitions()
        .forEach(tp -> topics.add(tp.topic()))));
    Map<TopicPartition, long[]> offsets = topicOffsets(topics); // {earliest, latest}
    recordEnds(now, offsets);

    List<GroupLag> groups = new ArrayList<>();
    for (String id : ids) {
      ConsumerGroupDescription description = descriptions.get(id);
      Map<TopicPartition, OffsetAndMetadata> groupOffsets = committed.getOrDefault(id, Map.of());
      GroupLag lag = evaluateGroup(id, description, groupOffsets, offsets, now);
      groups.add(lag);
      lastSeen.put(id, lag);
    }
    // A group that disappeared (offsets expired or deleted) stays visible with its last lag.
    Set<String> listed = new HashSet<>(ids);
    lastSeen.forEach((id, lag) -> {
      if (!listed.contains(id)) {
        groups.add(new GroupLag(id, GroupLag.GONE, 0, lag.topics(), LagStatus.STOP, lag.sumLag(), lag.maxLag(),
            lag.maxLagSeconds()));
      }
    });
    groups.sort((a, b) -> a.group().compareTo(b.group()));

    List<PartitionOffsets> partitions = new ArrayList<>();
    new TreeMap<>(byName(offsets)).forEach((name, o) -> partitions.add(o));
    Map<String, Double> produceRates = new TreeMap<>();
    topicEnds.forEach((topic, samples) -> produceRates.put(topic, rate(samples)));
    return new LagSnapshot(now, cluster, List.copyOf(groups), List.copyOf(partitions), produceRates);
  }

  private GroupLag evaluateGroup(String id, ConsumerGroupDescription description,
      Map<TopicPartition, OffsetAndMetadata> groupOffsets, Map<TopicPartition, long[]> offsets, long now) {
    Map<TopicPartition, MemberDescription> owners = new HashMap<>();
    int members = 0;
    String state = "Unknown";
    if (description != null) {
      members = description.members().size();
      state = description.groupState().toString();
      description.members().forEach(m -> m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m)));
    }
    Set<TopicPartition> partitions = new HashSet<>(groupOffsets.keySet());
    partitions.addAll(owners.keySet());
    partitions.removeIf(tp -> !offsets.containsKey(tp));

    Map<TopicPartition, Long> lagging = new HashMap<>();
    Map<TopicPartition, Long> committedOf = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata commit = groupOffsets.get(tp);
      long[] range = offsets.get(tp);
      long position = commit == null ? range[0] : commit.offset();
      committedOf.put(tp, commit == null ? -1 : commit.offset());
      PartitionSample sample = new PartitionSample(now, position, range[1]);
      GroupPartition key = new GroupPartition(id, tp);
      Deque<PartitionSample> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
      window.addLast(sample);
      while (window.size() > 1 && window.peekFirst().atMillis() < now - evaluator.window().toMillis()) {
        window.removeFirst();
      }
      long[] change = lastChange.get(key);
      if (change == null || change[0] != position) {
        lastChange.put(key, new long[]{position, now});
      }
      if (sample.lag() > 0) {
        lagging.put(tp, position);
      }
    }
    Map<TopicPartition, Long> recordTimes = lagging.isEmpty() ? Map.of() : timestamps.at(lagging);

    Map<String, List<PartitionLag>> byTopic = new TreeMap<>();
    Map<String, LagStatus> statusByTopic = new HashMap<>();
    boolean hasMembers = members > 0;
    for (TopicPartition tp : partitions) {
      GroupPartition key = new GroupPartition(id, tp);
      List<PartitionSample> window = List.copyOf(windows.get(key));
      PartitionSample latest = window.get(window.size() - 1);
      double seconds = 0;
      boolean exact = true;
      if (latest.lag() > 0) {
        Long timestamp = recordTimes.get(tp);
        if (timestamp != null) {
          seconds = Math.max(0, now - timestamp) / 1000.0;
        } else {
          seconds = estimatedSeconds(tp, latest.committed(), now);
          exact = false;
        }
      }
      MemberDescription owner = owners.get(tp);
      long[] range = offsets.get(tp);
      byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(new PartitionLag(tp.topic(), tp.partition(),
          committedOf.get(tp), range[1], range[0], latest.lag(), seconds, exact,
          owner == null ? "" : owner.host(), owner == null ? "" : owner.consumerId(),
          owner == null ? "" : owner.clientId()));
      LagStatus status = evaluator.evaluate(window, now, lastChange.get(key)[1], hasMembers);
      statusByTopic.merge(tp.topic(), status, LagStatus::worst);
    }

    List<TopicLag> topicLags = new ArrayList<>();
    LagStatus groupStatus = LagStatus.OK;
    long sumLag = 0;
    long maxLag = 0;
    double maxSeconds = 0;
    for (Map.Entry<String, List<PartitionLag>> entry : byTopic.entrySet()) {
      List<PartitionLag> parts = entry.getValue();
      parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      long topicSum = parts.stream().mapToLong(PartitionLag::lag).sum();
      long topicMax = parts.stream().mapToLong(PartitionLag::lag).max().orElse(0);
      double topicSeconds = parts.stream().mapToDouble(PartitionLag::lagSeconds).max().orElse(0);
      boolean exact = parts.stream().allMatch(PartitionLag::exactSeconds);
      double consume = 0;
      double produce = 0;
      for (PartitionLag p : parts) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        Deque<PartitionSample> window = windows.get(new GroupPartition(id, tp));
        PartitionSample first = window.peekFirst();
        PartitionSample last = window.peekLast();
        double dt = (last.atMillis() - first.atMillis()) / 1000.0;
        if (dt > 0) {
          consume += (last.committed() - first.committed()) / dt;
          produce += (last.end() - first.end()) / dt;
        }
      }
      double catchUp = catchUpSeconds(topicSum, consume, produce);
      LagStatus status = statusByTopic.get(entry.getKey());
      topicLags.add(new TopicLag(id, entry.getKey(), List.copyOf(parts), topicSum, topicMax, topicSeconds, exact,
          consume, produce, catchUp, status));
      groupStatus = groupStatus.worst(status);
      sumLag += topicSum;
      maxLag = Math.max(maxLag, topicMax);
      maxSeconds = Math.max(maxSeconds, topicSeconds);
    }
    return new GroupLag(id, state, members, List.copyOf(topicLags), groupStatus, sumLag, maxLag, maxSeconds);
  }

  /**
   * lag / (consume - produce) when the group gains on the topic; within 5% of each other (noise of the window's
   * sampling) the group is keeping up, below that it is falling behind.
   */
  static double catchUpSeconds(long lag, double consume, double produce) {
    if (lag == 0) {
      return 0;
    }
    double margin = 0.05 * Math.max(produce, 0.01);
    if (consume - produce > margin) {
      return lag / (consume - produce);
    }
    return consume - produce < -margin ? TopicLag.FALLING_BEHIND : TopicLag.KEEPING_UP;
  }

  /**
   * When the record at the committed offset cannot be read, its age is interpolated from when the partition's end
   * offset passed it (kafka-lag-exporter's method); before the oldest sample, that sample's age is a lower bound.
   */
  private double estimatedSeconds(TopicPartition tp, long committed, long now) {
    Deque<long[]> ends = partitionEnds.get(tp);
    if (ends == null || ends.isEmpty()) {
      return 0;
    }
    long[] previous = null;
    for (long[] sample : ends) {
      if (sample[1] > committed) {
        if (previous == null) {
          return (now - sample[0]) / 1000.0;
        }
        double fraction = (double) (committed - previous[1]) / Math.max(1, sample[1] - previous[1]);
        double producedAt = previous[0] + fraction * (sample[0] - previous[0]);
        return Math.max(0, now - producedAt) / 1000.0;
      }
      previous = sample;
    }
    return 0;
  }

  private Map<TopicPartition, long[]> topicOffsets(Set<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, TopicDescription> described;
    try {
      described = admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // A topic of the list may not exist (yet); describe them one by one and skip the missing ones.
      described = new HashMap<>();
      for (var entry : admin.describeTopics(topics).topicNameValues().entrySet()) {
        try {
          described.put(entry.getKey(), entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException missing) {
          // skipped
        }
      }
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    described.forEach((name, d) -> d.partitions().forEach(p -> {
      TopicPartition tp = new TopicPartition(name, p.partition());
      latest.put(tp, OffsetSpec.latest());
      earliest.put(tp, OffsetSpec.earliest());
    }));
    Map<TopicPartition, long[]> result = new HashMap<>();
    if (latest.isEmpty()) {
      return result;
    }
    var ends = admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    var starts = admin.listOffsets(earliest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    ends.forEach((tp, info) -> result.put(tp, new long[]{starts.get(tp).offset(), info.offset()}));
    return result;
  }

  private void recordEnds(long now, Map<TopicPartition, long[]> offsets) {
    Map<String, Long> sums = new HashMap<>();
    offsets.forEach((tp, range) -> {
      sums.merge(tp.topic(), range[1], Long::sum);
      Deque<long[]> ends = partitionEnds.computeIfAbsent(tp, k -> new ArrayDeque<>());
      if (ends.isEmpty() || ends.peekLast()[1] != range[1]) {
        ends.addLast(new long[]{now, range[1]});
      }
      while (ends.size() > 1000) { // about the last 1000 changes: enough to date any record still in the window
        ends.removeFirst();
      }
    });
    sums.forEach((topic, sum) -> {
      Deque<long[]> samples = topicEnds.computeIfAbsent(topic, k -> new ArrayDeque<>());
      samples.addLast(new long[]{now, sum});
      while (samples.size() > 1 && samples.peekFirst()[0] < now - evaluator.window().toMillis()) {
        samples.removeFirst();
      }
    });
  }

  private static double rate(Deque<long[]> samples) {
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    double dt = (last[0] - first[0]) / 1000.0;
    return dt <= 0 ? 0 : (last[1] - first[1]) / dt;
  }

  private static Map<String, PartitionOffsets> byName(Map<TopicPartition, long[]> offsets) {
    Map<String, PartitionOffsets> named = new HashMap<>();
    offsets.forEach((tp, range) -> named.put(String.format("%s-%05d", tp.topic(), tp.partition()),
        new PartitionOffsets(tp.topic(), tp.partition(), range[0], range[1])));
    return named;
  }

  @Override
  public void close() {
    timestamps.close();
    if (ownsAdmin) {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
