package dev.languageranker.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Strategy;
import dev.languageranker.events.Task;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.TopicOffsets;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import dev.languageranker.schemas.SampleEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ranker as deployed on a real broker: every request answered exactly once across a swap and a restart. */
@ExtendWith(KafkaBrokerExtension.class)
class RankerServiceIT {
  private static final int K = 10;
  private static final int DIM = 64;
  private static final int LAYER = 4;
  private static final AnswerKeys NONE = (task, text) -> Optional.empty();

  @Test
  void aThousandRequestsGetExactlyOneAnswerEachAcrossAVersionSwapAndARestart(KafkaBroker broker) throws Exception {
    LrConfig config = rankerConfig(broker);
    EventSerdes serdes = new EventSerdes(config);
    String rankerId = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    String run = rankerId + "-";
    RankerAdmin admin = new RankerAdmin(config, Duration.ofSeconds(30));
    admin.publish(TestRankers.release(rankerId, 1, DIM, LAYER, 1));

    try (ServiceMetrics metrics = new ServiceMetrics("ranker");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClientProperties(config).producer("t"))) {
      RankerService ranker = RankerService.start(config, metrics, NONE);
      try {
        assertEquals(1L, ranker.registry().active(rankerId).orElseThrow().version(), "v1 read before ranking starts");
        produce(producer, serdes, run, rankerId, 0, 400);
        assertEquals(400, answers(config, serdes, run, 400).size());

        admin.publish(TestRankers.release(rankerId, 2, DIM, LAYER, 2));
        awaitVersion(ranker, rankerId, 2);
        produce(producer, serdes, run, rankerId, 400, 700);
      } finally {
        ranker.close(); // mid-run: some of the last requests may be unanswered or half-grouped
      }
      ranker = RankerService.start(config, metrics, NONE);
      try {
        produce(producer, serdes, run, rankerId, 700, 1000);
        List<RankedAnswer> all = answers(config, serdes, run, 1000);
        Thread.sleep(2000); // anything extra (a duplicate) would arrive now
        all = answers(config, serdes, run, 1001);

        assertEquals(1000, all.size(), "exactly one answer per request, none duplicated");
        Map<String, RankedAnswer> byId = new HashMap<>();
        all.forEach(a -> byId.put(a.getRequestId(), a));
        assertEquals(1000, byId.size());
        List<String> incomplete = all.stream().filter(a -> !a.getComplete())
            .map(a -> a.getRequestId() + ":" + a.getCandidatesRanked() + "/" + a.getLatencyMs() + "ms").toList();
        assertEquals(List.of(), incomplete, "incomplete answers (id:ranked/latency)");
        for (int r = 0; r < 1000; r++) {
          RankedAnswer a = byId.get(run + r);
          assertEquals(K, a.getScores().size());
          assertEquals(r < 400 ? 1L : 2L, a.getRankerVersion(), a.getRequestId());
        }
      } finally {
        ranker.close();
      }
    }
  }

  @Test
  void groupsHalfReceivedBeforeARestartAreAnsweredCompleteWithTheirFirstCandidatesReadBackFromTheTopic(
      KafkaBroker broker) throws Exception {
    LrConfig config = rankerConfig(broker);
    EventSerdes serdes = new EventSerdes(config);
    String rankerId = "half-" + UUID.randomUUID().toString().substring(0, 8);
    String run = rankerId + "-";
    new RankerAdmin(config, Duration.ofSeconds(30)).publish(TestRankers.release(rankerId, 1, DIM, LAYER, 1));

    try (ServiceMetrics metrics = new ServiceMetrics("ranker");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClientProperties(config).producer("t"))) {
      RankerService ranker = RankerService.start(config, metrics, NONE);
      try {
        produce(producer, serdes, run, rankerId, 0, 50, 0, K / 2);
        awaitCommittedToTheEnd(config);
      } finally {
        ranker.close();
      }
      ranker = RankerService.start(config, metrics, NONE);
      try {
        produce(producer, serdes, run, rankerId, 0, 50, K / 2, K);
        List<RankedAnswer> all = answers(config, serdes, run, 50);

        assertEquals(50, all.size());
        for (RankedAnswer a : all) {
          assertTrue(a.getComplete(), a.getRequestId() + " complete");
          assertEquals(K, a.getCandidatesRanked(), a.getRequestId());
          assertEquals(Strategy.LISTWISE_RANKER, a.getStrategy());
        }
        assertEquals(null, metrics.registry().find("lr.ranker.candidates.dropped").tag("reason", "unreadable")
            .counter());
      } finally {
        ranker.close();
      }
    }
  }

  /** A ranker on the test broker with its own state directory and the topic catalogue in place. */
  private static LrConfig rankerConfig(KafkaBroker broker) throws Exception {
    LrConfig config = broker.config(Map.of("streams.state.dir", Files.createTempDirectory("ranker").toString(),
        "metrics.port", "-1"));
    TestTopics.ensureCatalogue(config);
    return config;
  }

  /** Waits until the ranker has committed its position at the end of lr.candidates: all it read is in its state. */
  private static void awaitCommittedToTheEnd(LrConfig config) throws Exception {
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(RankerService.APPLICATION_ID)
            .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> end = TopicOffsets.ends(admin, Topics.CANDIDATES.name());
        boolean caughtUp = end.entrySet().stream().allMatch(e -> e.getValue() == 0
            || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
        if (caughtUp) {
          return;
        }
        assertTrue(System.nanoTime() < deadline, "the ranker did not commit up to the end of lr.candidates");
        Thread.sleep(100);
      }
    }
  }

  private static void awaitVersion(RankerService ranker, String rankerId, long version) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ranker.registry().active(rankerId).map(LoadedRanker::version).orElse(-1L) != version) {
      assertTrue(System.nanoTime() < deadline, "version " + version + " was not swapped in");
      Thread.sleep(50);
    }
  }

  private static List<RankedAnswer> answers(LrConfig config, EventSerdes serdes, String run, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.ANSWERS.name(),
        r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(run), count,
        Duration.ofSeconds(count > 1000 ? 3 : 90));
    return records.stream()
        .map(r -> serdes.of(RankedAnswer.class).deserializer().deserialize(r.topic(), r.value())).toList();
  }

  private static void produce(KafkaProducer<byte[], byte[]> producer, EventSerdes serdes, String run, String rankerId,
      int from, int to) {
    produce(producer, serdes, run, rankerId, from, to, 0, K);
  }

  /** Candidates {@code fromIndex} (inclusive) to {@code toIndex} of requests {@code from} to {@code to}. */
  private static void produce(KafkaProducer<byte[], byte[]> producer, EventSerdes serdes, String run, String rankerId,
      int from, int to, int fromIndex, int toIndex) {
    Random random = new Random(from);
    for (int r = from; r < to; r++) {
      String rid = run + r;
      ByteBuffer instruction = floats(random);
      for (int i = fromIndex; i < toIndex; i++) {
        Candidate c = Candidate.newBuilder(SampleEvents.candidate(i, 4)).setRequestId(rid).setTask(Task.MATH)
            .setRankerId(rankerId).setIndex(i).setK(K).setText("candidate " + i)
            .setFeatures(
                Features.newBuilder().setLayer(LAYER).setNumLayers(8).setDim(DIM).setDtype(FeatureDtype.FLOAT32)
                    .setInstruction(instruction.duplicate()).setResponse(floats(random)).build())
            .build();
        producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), rid.getBytes(StandardCharsets.UTF_8),
            serdes.of(Candidate.class).serializer().serialize(Topics.CANDIDATES.name(), c)));
      }
    }
    producer.flush();
  }

  private static ByteBuffer floats(Random random) {
    ByteBuffer b = ByteBuffer.allocate(DIM * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < DIM; i++) {
      b.putFloat((float) random.nextGaussian());
    }
    return b.flip();
  }
}
