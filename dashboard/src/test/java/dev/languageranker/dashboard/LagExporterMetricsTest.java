package dev.languageranker.dashboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LagExporterMetricsTest {

  private static LagSnapshot snapshot() {
    PartitionLag p0 = new PartitionLag("lr.candidates", 0, 90, 100, 0, 10, 4.5, true, "/127.0.0.1", "c-1", "ranker-1");
    PartitionLag p1 = new PartitionLag("lr.candidates", 1, 50, 50, 0, 0, 0, true, "/127.0.0.1", "c-1", "ranker-1");
    TopicLag topic = new TopicLag("lr-ranker", "lr.candidates", List.of(p0, p1), 10, 10, 4.5, true, 20, 22,
        TopicLag.FALLING_BEHIND, LagStatus.WARN);
    GroupLag group = new GroupLag("lr-ranker", "Stable", 1, List.of(topic), LagStatus.WARN, 10, 10, 4.5);
    return new LagSnapshot(0, "local", List.of(group), List.of(new PartitionOffsets("lr.candidates", 0, 0, 100),
        new PartitionOffsets("lr.candidates", 1, 0, 50)), Map.of("lr.candidates", 22.0));
  }

  @Test
  void exportsKafkaLagExporterNamesAndLabels() {
    String text = LagExporterMetrics.render(snapshot(), Map.of(), Map.of());

    String partition = "cluster_name=\"local\",group=\"lr-ranker\",topic=\"lr.candidates\",partition=\"0\","
        + "member_host=\"/127.0.0.1\",consumer_id=\"c-1\",client_id=\"ranker-1\"";
    assertTrue(text.contains("kafka_consumergroup_group_offset{" + partition + "} 90\n"), text);
    assertTrue(text.contains("kafka_consumergroup_group_lag{" + partition + "} 10\n"), text);
    assertTrue(text.contains("kafka_consumergroup_group_lag_seconds{" + partition + "} 4.500\n"), text);
    assertTrue(text.contains(
        "kafka_consumergroup_group_max_lag{cluster_name=\"local\",group=\"lr-ranker\",is_simple_consumer=\"false\"} 10\n"));
    assertTrue(text.contains("kafka_consumergroup_group_max_lag_seconds{cluster_name=\"local\",group=\"lr-ranker\","
        + "is_simple_consumer=\"false\"} 4.500\n"));
    assertTrue(text.contains("kafka_consumergroup_group_sum_lag{cluster_name=\"local\",group=\"lr-ranker\"} 10\n"));
    assertTrue(text.contains("kafka_consumergroup_group_topic_sum_lag{cluster_name=\"local\",group=\"lr-ranker\","
        + "topic=\"lr.candidates\"} 10\n"));
    assertTrue(text.contains(
        "kafka_partition_latest_offset{cluster_name=\"local\",topic=\"lr.candidates\",partition=\"1\"} 50\n"));
    assertTrue(text.contains(
        "kafka_partition_earliest_offset{cluster_name=\"local\",topic=\"lr.candidates\",partition=\"0\"} 0\n"));
    for (String name : LagExporterMetrics.EXPORTER_METRICS) {
      assertTrue(text.contains("# TYPE " + name + " gauge\n"), name);
    }
  }

  @Test
  void exportsLiveAccuraciesAndStatusAsGauges() {
    String text = LagExporterMetrics.render(snapshot(),
        Map.of("default", Map.of("served", 0.75, "majority_vote", 0.8)), Map.of("0.5", 120.0));

    assertTrue(text.contains("lr_served_accuracy{ranker_id=\"default\",strategy=\"served\"} 0.750\n"), text);
    assertTrue(text.contains("lr_served_accuracy{ranker_id=\"default\",strategy=\"majority_vote\"} 0.800\n"), text);
    assertTrue(text.contains("lr_consumergroup_status{cluster_name=\"local\",group=\"lr-ranker\","
        + "topic=\"lr.candidates\",status=\"WARN\"} 1\n"), text);
    assertTrue(text.contains("lr_answer_latency_ms{quantile=\"0.5\"} 120\n"), text);
  }
}
