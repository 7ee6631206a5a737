package dev.languageranker.dashboard;

import java.util.List;
import java.util.Map;

/**
 * Everything one evaluation round saw: every group's lag, every monitored partition's offsets, and each topic's
 * produce rate (records/s over the window).
 */
public record LagSnapshot(long atMillis, String cluster, List<GroupLag> groups, List<PartitionOffsets> partitions,
    Map<String, Double> topicProduceRates) {

  /** The group, or null. */
  public GroupLag group(String id) {
    return groups.stream().filter(g -> g.group().equals(id)).findFirst().orElse(null);
  }

  /** The group's lag on a topic, or null. */
  public TopicLag edge(String group, String topic) {
    GroupLag g = group(group);
    return g == null ? null : g.topics().stream().filter(t -> t.topic().equals(topic)).findFirst().orElse(null);
  }
}
