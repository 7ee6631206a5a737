package dev.languageranker.labeler;

import static dev.languageranker.labeler.LabelerFixtures.candidate;
import static dev.languageranker.labeler.LabelerFixtures.codeReference;
import static dev.languageranker.labeler.LabelerFixtures.functionReference;
import static dev.languageranker.labeler.LabelerFixtures.mathCandidate;
import static dev.languageranker.labeler.LabelerFixtures.mathReference;
import static dev.languageranker.labeler.LabelerFixtures.rating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.Reference;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The labeler as deployed, on a real broker: 50 requests x 10 candidates in, 50 labeled examples out. */
@ExtendWith(KafkaBrokerExtension.class)
class LabelerServiceIT {
  private static final int K = 10;

  @Test
  void fiftyRequestsOfMixedTasksBecomeFiftyExamplesWithTheRightLabels(KafkaBroker broker) throws Exception {
    LrConfig config = broker.config(Map.of("streams.state.dir", Files.createTempDirectory("labeler").toString(),
        "metrics.port", "-1"));
    TestTopics.ensureCatalogue(config);
    EventSerdes serdes = new EventSerdes(config);
    String run = UUID.randomUUID().toString().substring(0, 8) + "-";
    Map<String, List<Double>> expected = new HashMap<>();

    try (ServiceMetrics metrics = new ServiceMetrics("labeler");
        LabelerService labeler = LabelerService.start(config, metrics);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClientProperties(config).producer("t"))) {
      for (int r = 0; r < 50; r++) {
        String rid = run + r;
        boolean referenceFirst = r % 2 == 0;
        Reference reference = null;
        List<Candidate> group = new java.util.ArrayList<>();
        List<VerificationOutcome> feedback = new java.util.ArrayList<>();
        List<Double> labels = new java.util.ArrayList<>();
        if (r < 20) { // math: every third candidate is right
          reference = mathReference(rid, "42");
          for (int i = 0; i < K; i++) {
            boolean right = i % 3 == 0;
            group.add(mathCandidate(rid, i, K, right ? "42" : "41"));
            labels.add(right ? 1.0 : 0.0);
          }
        } else if (r < 30) { // function calling: even candidates call with the right argument
          reference = functionReference(rid, "[{\"get_weather\": {\"city\": [\"Paris\", \"paris\"]}}]");
          for (int i = 0; i < K; i++) {
            String city = i % 2 == 0 ? "Paris" : "Lyon";
            group.add(candidate(rid, Task.FUNCTION_CALL, i, K,
                "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"" + city + "\"}}]"));
            labels.add(i % 2 == 0 ? 1.0 : 0.0);
          }
        } else if (r < 35) { // code: candidates below 4 are right
          reference = codeReference(rid, List.of("assert add(2, 3) == 5", "assert add(-1, 1) == 0"));
          for (int i = 0; i < K; i++) {
            String body = i < 4 ? "a + b" : "a - b";
            group.add(candidate(rid, Task.CODE, i, K,
                "#START OF CODE\ndef add(a, b):\n    return " + body + "\n#END OF CODE"));
            labels.add(i < 4 ? 1.0 : 0.0);
          }
        } else { // general: only external ratings label them
          for (int i = 0; i < K; i++) {
            group.add(candidate(rid, Task.GENERAL, i, K, "answer " + i));
            feedback.add(rating(rid, i, i / 2.0));
            labels.add(i / 2.0);
          }
        }
        expected.put(rid, labels);
        if (reference != null && referenceFirst) {
          send(producer, serdes, Topics.REFERENCES.name(), rid, reference);
        }
        for (Candidate c : group) {
          send(producer, serdes, Topics.CANDIDATES.name(), rid, c);
        }
        if (reference != null && !referenceFirst) {
          send(producer, serdes, Topics.REFERENCES.name(), rid, reference);
        }
        for (VerificationOutcome o : feedback) {
          send(producer, serdes, Topics.VERIFICATIONS.name(), rid, o);
        }
      }
      producer.flush();

      List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.TRAINING_EXAMPLES.name(),
          rec -> new String(rec.key(), StandardCharsets.UTF_8).startsWith(run), 50, Duration.ofSeconds(120));
      Map<String, TrainingExample> examples = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> rec : records) {
        TrainingExample e = serdes.of(TrainingExample.class).deserializer().deserialize(rec.topic(), rec.value());
        assertTrue(examples.put(e.getRequestId(), e) == null, "one example per request: " + e.getRequestId());
      }
      assertEquals(50, examples.size());
      for (var entry : expected.entrySet()) {
        TrainingExample e = examples.get(entry.getKey());
        assertTrue(e.getComplete(), entry.getKey());
        assertEquals(entry.getValue(), e.getCandidates().stream().map(LabeledCandidate::getLabel).toList(),
            entry.getKey() + " " + e.getTask());
        assertEquals(e.getTask() == Task.GENERAL ? LabelType.REAL : LabelType.BINARY, e.getLabelType());
        assertEquals(LabelerFixtures.DIM * 2, e.getInstruction().remaining());
      }
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, EventSerdes serdes, String topic, String key,
      SpecificRecord value) {
    @SuppressWarnings("unchecked")
    Class<SpecificRecord> type = (Class<SpecificRecord>) value.getClass();
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
        serdes.of(type).serializer().serialize(topic, value)));
  }
}
