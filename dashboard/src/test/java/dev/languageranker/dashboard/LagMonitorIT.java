package dev.languageranker.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class LagMonitorIT {

  static LagMonitor monitor(Admin admin, LrConfig config, String topic) {
    Map<String, Object> props = new KafkaClientProperties(config).consumer("unused", "lag-monitor-test");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new LagMonitor(admin, new KafkaConsumer<>(props), new LagEvaluator(Duration.ofSeconds(60)),
        Clock.systemUTC(), "test", Duration.ofSeconds(10), List.of(topic), g -> g.startsWith("lag-test-"));
  }

  @Test
  void timeLagIsTheAgeOfTheRecordAtTheCommittedOffsetAndZeroWhenCaughtUp(KafkaBroker broker) throws Exception {
    LrConfig config = broker.config();
    String topic = "lag-monitor-" + System.nanoTime();
    String group = "lag-test-" + System.nanoTime();
    long now = System.currentTimeMillis();
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClientProperties(config).producer("t"))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      // Records stamped 300, 200 and 100 s ago: the group has consumed the first one.
      for (long age : new long[]{300, 200, 100}) {
        producer.send(new ProducerRecord<>(topic, 0, now - age * 1000, null, new byte[]{1})).get();
      }
      TopicPartition tp = new TopicPartition(topic, 0);
      admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(1))).all().get();

      try (LagMonitor monitor = monitor(admin, config, topic)) {
        LagSnapshot lagging = monitor.poll();
        TopicLag edge = lagging.edge(group, topic);
        assertEquals(2, edge.sumLag());
        assertTrue(edge.exactSeconds(), "read from the record's own timestamp");
        assertEquals(200, edge.maxLagSeconds(), 5, "the age of the record at offset 1");
        assertEquals("Empty", lagging.group(group).state());

        admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(3))).all().get();
        LagSnapshot caughtUp = monitor.poll();
        assertEquals(0, caughtUp.edge(group, topic).sumLag());
        assertEquals(0.0, caughtUp.edge(group, topic).maxLagSeconds());
        assertEquals(LagStatus.OK, caughtUp.edge(group, topic).status());
        PartitionOffsets offsets = caughtUp.partitions().stream().filter(p -> p.topic().equals(topic)).findFirst()
            .orElseThrow();
        assertEquals(0, offsets.earliest());
        assertEquals(3, offsets.latest());
      }
    }
  }
}
