package dev.languageranker.labeler;

import static dev.languageranker.labeler.LabelerFixtures.candidate;
import static dev.languageranker.labeler.LabelerFixtures.functionReference;
import static dev.languageranker.labeler.LabelerFixtures.mathCandidate;
import static dev.languageranker.labeler.LabelerFixtures.mathReference;
import static dev.languageranker.labeler.LabelerFixtures.rating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.FeaturePooling;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.Reference;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.Verdict;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.labeler.verify.SandboxSettings;
import dev.languageranker.labeler.verify.TaskVerifiers;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.answers.AnswerKeyExtractor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabelerTopologyTest {
  private static final LabelerTopology.Timing TIMING = new LabelerTopology.Timing(Duration.ofSeconds(30),
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMillis(100));

  private final EventSerdes serdes = new EventSerdes(LrConfig.defaults());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private VerificationPool pool;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Candidate> candidates;
  private TestInputTopic<String, Reference> references;
  private TestInputTopic<String, VerificationOutcome> outcomesIn;
  private TestOutputTopic<String, VerificationOutcome> outcomesOut;
  private TestOutputTopic<String, TrainingExample> examples;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private final List<VerificationOutcome> seenOutcomes = new ArrayList<>();

  @BeforeEach
  void start() {
    pool = new VerificationPool(2, 4);
    ReferenceVerifiers verifiers = new ReferenceVerifiers(TaskVerifiers.withSandbox(SandboxSettings.defaults()),
        Clock.systemUTC());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "labeler-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(LabelerTopology.build(serdes, verifiers, pool, new LabelerMetrics(meters), TIMING,
        "labeler"), props, Instant.ofEpochMilli(1_000_000));
    var keys = Serdes.String();
    candidates = driver.createInputTopic(Topics.CANDIDATES.name(), keys.serializer(),
        serdes.of(Candidate.class).serializer());
    references = driver.createInputTopic(Topics.REFERENCES.name(), keys.serializer(),
        serdes.of(Reference.class).serializer());
    outcomesIn = driver.createInputTopic(Topics.VERIFICATIONS.name(), keys.serializer(),
        serdes.of(VerificationOutcome.class).serializer());
    outcomesOut = driver.createOutputTopic(Topics.VERIFICATIONS.name(), keys.deserializer(),
        serdes.of(VerificationOutcome.class).deserializer());
    examples = driver.createOutputTopic(Topics.TRAINING_EXAMPLES.name(), keys.deserializer(),
        serdes.of(TrainingExample.class).deserializer());
    deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), keys.deserializer(),
        serdes.of(DeadLetter.class).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    pool.close();
  }

  @Test
  void labelsEveryCandidateWhenTheReferenceComesFirstAndPublishesOneCompleteExample() {
    references.pipeInput("q1", mathReference("q1", "\\frac{1}{2}"));
    String[] answers = {"0.5", "1/2", "2", "\\dfrac12"};
    for (int i = 0; i < 4; i++) {
      candidates.pipeInput("q1", mathCandidate("q1", i, 4, answers[i]));
    }

    List<TrainingExample> out = awaitExamples(1);

    TrainingExample example = out.get(0);
    assertEquals("q1", example.getRequestId());
    assertTrue(example.getComplete());
    assertEquals(LabelType.BINARY, example.getLabelType());
    assertEquals(List.of(1.0, 1.0, 0.0, 1.0),
        example.getCandidates().stream().map(LabeledCandidate::getLabel).toList());
    assertEquals(4, seenOutcomes.size(), "one outcome per candidate on lr.verifications");
    assertTrue(seenOutcomes.stream().allMatch(o -> o.getVerifier().equals("math") && !o.getExternal()));
    assertEquals(mathCandidate("q1", 2, 4, "2").getFeatures().getResponse(),
        example.getCandidates().get(2).getResponse());
    // The keys are the ones the ranker service computes from the text, so vote-share side features match in serving.
    AnswerKeyExtractor serving = new AnswerKeyExtractor();
    for (int i = 0; i < 4; i++) {
      assertEquals(serving.keyOf("MATH", mathCandidate("q1", i, 4, answers[i]).getText()).orElseThrow(),
          example.getCandidates().get(i).getAnswerKey());
    }
    assertEquals(mathCandidate("q1", 0, 4, "0.5").getFeatures().getPooling(), example.getPooling());
  }

  @Test
  void theExampleCarriesTheCandidatesPooling() {
    references.pipeInput("q5", mathReference("q5", "3"));
    for (int i = 0; i < 2; i++) {
      Candidate c = mathCandidate("q5", i, 2, String.valueOf(i + 2));
      c.getFeatures().setPooling(FeaturePooling.MEAN);
      candidates.pipeInput("q5", c);
    }
    assertEquals(FeaturePooling.MEAN, awaitExamples(1).get(0).getPooling());
  }

  @Test
  void verifiesCandidatesThatArrivedBeforeTheirReference() {
    for (int i = 0; i < 3; i++) {
      candidates.pipeInput("q2", mathCandidate("q2", i, 3, i == 1 ? "7" : "8"));
    }
    tick(Duration.ofSeconds(1));
    assertTrue(examples.isEmpty(), "nothing can be labeled without a reference");

    references.pipeInput("q2", mathReference("q2", "7"));
    TrainingExample example = awaitExamples(1).get(0);

    assertEquals(List.of(0.0, 1.0, 0.0), example.getCandidates().stream().map(LabeledCandidate::getLabel).toList());
    assertEquals("7", example.getCandidates().get(1).getAnswerKey());
  }

  @Test
  void externalRatingsLabelAGeneralTaskWithRealValues() {
    for (int i = 0; i < 3; i++) {
      candidates.pipeInput("q3", candidate("q3", Task.GENERAL, i, 3, "an essay " + i));
      outcomesIn.pipeInput("q3", rating("q3", i, i + 2.5));
    }

    TrainingExample example = awaitExamples(1).get(0);

    assertEquals(LabelType.REAL, example.getLabelType());
    assertEquals(List.of(2.5, 3.5, 4.5), example.getCandidates().stream().map(LabeledCandidate::getLabel).toList());
    assertEquals(List.of(Verdict.RATED, Verdict.RATED, Verdict.RATED),
        example.getCandidates().stream().map(LabeledCandidate::getVerdict).toList());
  }

  @Test
  void aGroupThatTimesOutIsPublishedIncompleteWithTheCandidatesThatWereLabeled() {
    references.pipeInput("q4", functionReference("q4", "[{\"get_weather\": {\"city\": [\"Paris\"]}}]"));
    candidates.pipeInput("q4", candidate("q4", Task.FUNCTION_CALL, 0, 5,
        "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]"));
    candidates.pipeInput("q4", candidate("q4", Task.FUNCTION_CALL, 3, 5,
        "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}]"));
    awaitOutcomes(2);
    assertTrue(examples.isEmpty());

    tick(TIMING.groupTimeout().plusSeconds(2));
    List<TrainingExample> out = drainExamples();

    assertEquals(1, out.size());
    assertFalse(out.get(0).getComplete());
    assertEquals(5, out.get(0).getK());
    assertEquals(List.of(0, 3), out.get(0).getCandidates().stream().map(LabeledCandidate::getIndex).toList());
    assertEquals(List.of(1.0, 0.0), out.get(0).getCandidates().stream().map(LabeledCandidate::getLabel).toList());
  }

  @Test
  void aBadReferenceABadOutcomeAndACandidateWithWrongFeaturesGoToDeadLetters() {
    references.pipeInput("q5", Reference.newBuilder(mathReference("q5", "1")).setAnswer(null).build());
    outcomesIn.pipeInput("q5",
        VerificationOutcome.newBuilder(LabelerFixtures.feedback("q5", 0, true)).setScore(0.5).build());
    Candidate broken = mathCandidate("q5", 0, 2, "1");
    broken.getFeatures().setResponse(ByteBuffer.wrap(new byte[3]));
    candidates.pipeInput("q5", broken);

    List<DeadLetter> letters = deadLetters.readValuesToList();

    assertEquals(3, letters.size());
    assertTrue(letters.get(0).getReason().contains("MATH reference without an answer"), letters.get(0).getReason());
    assertEquals("lr.references", letters.get(0).getSourceTopic());
    assertTrue(letters.get(1).getReason().contains("must be 0 or 1"), letters.get(1).getReason());
    assertTrue(letters.get(2).getReason().contains("do not match dim"), letters.get(2).getReason());
    assertTrue(letters.get(2).getValue() != null && letters.get(2).getValue().remaining() > 0, "the record is kept");
  }

  @Test
  void aDuplicateCandidateIsIgnoredAndLateOutcomesDoNotPublishASecondExample() {
    references.pipeInput("q6", mathReference("q6", "3"));
    candidates.pipeInput("q6", mathCandidate("q6", 0, 2, "3"));
    candidates.pipeInput("q6", mathCandidate("q6", 0, 2, "4")); // duplicate index
    candidates.pipeInput("q6", mathCandidate("q6", 1, 2, "4"));
    TrainingExample example = awaitExamples(1).get(0);
    assertEquals(List.of(1.0, 0.0), example.getCandidates().stream().map(LabeledCandidate::getLabel).toList());

    outcomesIn.pipeInput("q6", LabelerFixtures.feedback("q6", 1, true));
    candidates.pipeInput("q6", mathCandidate("q6", 1, 2, "3"));
    tick(Duration.ofSeconds(2));

    assertTrue(drainExamples().isEmpty());
    assertEquals(1.0, meters.get("lr.labeler.dropped").tag("reason", "duplicate-candidate").counter().count());
    assertEquals(1.0, meters.get("lr.labeler.dropped").tag("reason", "late-outcome").counter().count());
  }

  @Test
  void theLatestOutcomeOfACandidateIsItsLabel() {
    for (int i = 0; i < 2; i++) {
      candidates.pipeInput("q7", candidate("q7", Task.GENERAL, i, 2, "text"));
    }
    outcomesIn.pipeInput("q7", LabelerFixtures.feedback("q7", 0, false));
    outcomesIn.pipeInput("q7", LabelerFixtures.feedback("q7", 1, false));

    TrainingExample example = awaitExamples(1).get(0);

    assertEquals(List.of(0.0, 0.0), example.getCandidates().stream().map(LabeledCandidate::getLabel).toList());
  }

  /** Advances the driver's wall clock in 100 ms steps (running punctuations) while real time passes for workers. */
  private void tick(Duration total) {
    for (long t = 0; t < total.toMillis(); t += 100) {
      driver.advanceWallClockTime(Duration.ofMillis(100));
    }
  }

  private List<TrainingExample> awaitExamples(int n) {
    List<TrainingExample> out = new ArrayList<>();
    awaitUntil(() -> {
      out.addAll(drainExamples());
      return out.size() >= n;
    });
    assertEquals(n, out.size());
    return out;
  }

  private void awaitOutcomes(int n) {
    awaitUntil(() -> {
      seenOutcomes.addAll(outcomesOut.readValuesToList());
      return seenOutcomes.size() >= n;
    });
  }

  private List<TrainingExample> drainExamples() {
    seenOutcomes.addAll(outcomesOut.readValuesToList());
    return examples.readValuesToList();
  }

  private void awaitUntil(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; dead letters: " + deadLetters.readValuesToList());
      }
      driver.advanceWallClockTime(Duration.ofMillis(100));
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
