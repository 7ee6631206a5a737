package dev.languageranker.dashboard;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link LagSnapshot} in the Prometheus text format with kafka-lag-exporter's metric names and labels, so
 * Grafana dashboards and alerts written for it work unchanged, plus the dashboard's own gauges ({@code lr_...}).
 * Written out directly rather than through Micrometer: the label sets change every round (groups and partitions
 * come and go) and the names must match the exporter's exactly, without unit suffixes added.
 */
public final class LagExporterMetrics {

  private LagExporterMetrics() {}

  /** The exposition of one snapshot and the live accuracies ({@code rankerId -> strategy -> accuracy}). */
  public static String render(LagSnapshot snapshot, Map<String, Map<String, Double>> accuracies,
      Map<String, Double> latencyQuantiles) {
    StringBuilder out = new StringBuilder();
    String cluster = snapshot.cluster();
    header(out, "kafka_consumergroup_group_offset", "Last group consumed offset of a partition");
    eachPartition(snapshot, (g, p) -> sample(out, "kafka_consumergroup_group_offset", partitionLabels(cluster, g, p),
        p.committed()));
    header(out, "kafka_consumergroup_group_lag", "Group offset lag of a partition");
    eachPartition(snapshot, (g, p) -> sample(out, "kafka_consumergroup_group_lag", partitionLabels(cluster, g, p),
        p.lag()));
    header(out, "kafka_consumergroup_group_lag_seconds", "Group time lag of a partition");
    eachPartition(snapshot, (g, p) -> sample(out, "kafka_consumergroup_group_lag_seconds",
        partitionLabels(cluster, g, p), p.lagSeconds()));
    header(out, "kafka_consumergroup_group_max_lag", "Max group offset lag");
    snapshot.groups().forEach(g -> sample(out, "kafka_consumergroup_group_max_lag", groupLabels(cluster, g, true),
        g.maxLag()));
    header(out, "kafka_consumergroup_group_max_lag_seconds", "Max group time lag");
    snapshot.groups().forEach(g -> sample(out, "kafka_consumergroup_group_max_lag_seconds",
        groupLabels(cluster, g, true), g.maxLagSeconds()));
    header(out, "kafka_consumergroup_group_sum_lag", "Sum of group offset lag");
    snapshot.groups().forEach(g -> sample(out, "kafka_consumergroup_group_sum_lag", groupLabels(cluster, g, false),
        g.sumLag()));
    header(out, "kafka_consumergroup_group_topic_sum_lag", "Sum of group offset lag across topic partitions");
    snapshot.groups().forEach(g -> g.topics().forEach(t -> sample(out, "kafka_consumergroup_group_topic_sum_lag",
        labels("cluster_name", cluster, "group", g.group(), "topic", t.topic()), t.sumLag())));
    header(out, "kafka_partition_latest_offset", "Latest offset of a partition");
    snapshot.partitions().forEach(p -> sample(out, "kafka_partition_latest_offset",
        labels("cluster_name", cluster, "topic", p.topic(), "partition", Integer.toString(p.partition())), p.latest()));
    header(out, "kafka_partition_earliest_offset", "Earliest offset of a partition");
    snapshot.partitions().forEach(p -> sample(out, "kafka_partition_earliest_offset",
        labels("cluster_name", cluster, "topic", p.topic(), "partition", Integer.toString(p.partition())),
        p.earliest()));

    header(out, "lr_consumergroup_status",
        "Lag status of a group on a topic over the evaluation window: 0 OK, 1 WARN, 2 STALL, 3 STOP");
    snapshot.groups().forEach(g -> g.topics().forEach(t -> sample(out, "lr_consumergroup_status",
        labels("cluster_name", cluster, "group", g.group(), "topic", t.topic(), "status", t.status().name()),
        t.status().ordinal())));
    header(out, "lr_served_accuracy", "Accuracy over the latest labeled answers of what was served and of what "
        + "each baseline would have picked on the same requests");
    accuracies.forEach((rankerId, byStrategy) -> byStrategy.forEach((strategy, value) -> sample(out,
        "lr_served_accuracy", labels("ranker_id", rankerId, "strategy", strategy), value)));
    header(out, "lr_answer_latency_ms", "Answer latency percentiles (prompt created to answer) over recent answers");
    latencyQuantiles.forEach((q, v) -> sample(out, "lr_answer_latency_ms", labels("quantile", q), v));
    return out.toString();
  }

  private interface PartitionVisitor {
    void visit(GroupLag group, PartitionLag partition);
  }

  private static void eachPartition(LagSnapshot snapshot, PartitionVisitor visitor) {
    for (GroupLag g : snapshot.groups()) {
      for (TopicLag t : g.topics()) {
        for (PartitionLag p : t.partitions()) {
          visitor.visit(g, p);
        }
      }
    }
  }

  private static String partitionLabels(String cluster, GroupLag g, PartitionLag p) {
    return labels("cluster_name", cluster, "group", g.group(), "topic", p.topic(),
        "partition", Integer.toString(p.partition()), "member_host", p.memberHost(), "consumer_id", p.consumerId(),
        "client_id", p.clientId());
  }

  private static String groupLabels(String cluster, GroupLag g, boolean simpleFlag) {
    return simpleFlag
        ? labels("cluster_name", cluster, "group", g.group(), "is_simple_consumer", "false")
        : labels("cluster_name", cluster, "group", g.group());
  }

  private static String labels(String... pairs) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
    }
    return b.append('}').toString();
  }

  private static String escape(String value) {
    return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void header(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append(labels).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(String.format(Locale.ROOT, "%.3f", value));
    }
    out.append('\n');
  }

  /** Names of the exported kafka-lag-exporter metrics, for tests and docs. */
  public static final List<String> EXPORTER_METRICS = List.of("kafka_consumergroup_group_offset",
      "kafka_consumergroup_group_lag", "kafka_consumergroup_group_lag_seconds", "kafka_consumergroup_group_max_lag",
      "kafka_consumergroup_group_max_lag_seconds", "kafka_consumergroup_group_sum_lag",
      "kafka_consumergroup_group_topic_sum_lag", "kafka_partition_latest_offset", "kafka_partition_earliest_offset");
}
