package dev.languageranker.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.CandidateScore;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Strategy;
import dev.languageranker.events.Task;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.DeadLetterDeserializationHandler;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.schemas.SampleEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RankerTopologyTest {
  private static final int DIM = 16;
  private static final int LAYER = 3;
  private static final RankerTopology.Settings SETTINGS = new RankerTopology.Settings(Duration.ofSeconds(30),
      Duration.ofMinutes(10), 8, Duration.ofMillis(10),
      Duration.ofMillis(10));
  private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{([^}]*)}");

  /** A task that never restarts has every candidate in memory: reading one back would be a bug here. */
  private static final CandidateLog NO_READ_BACK = new CandidateLog() {
    @Override
    public Map<Long, byte[]> read(int partition, long[] offsets) {
      throw new AssertionError("read back " + java.util.Arrays.toString(offsets) + " of partition " + partition);
    }

    @Override
    public void close() {}
  };

  private final EventSerdes serdes = new EventSerdes(LrConfig.defaults());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RankerRegistry registry = new RankerRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Candidate> candidates;
  private TestInputTopic<byte[], byte[]> rawCandidates;
  private TestOutputTopic<String, RankedAnswer> answers;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    start(Runnable::run);
  }

  private void start(Executor scorer) {
    RankerMetrics metrics = new RankerMetrics(meters, registry);
    AnswerKeys boxed = (task, text) -> {
      if (task != Task.MATH) {
        return Optional.empty();
      }
      Matcher m = BOXED.matcher(text);
      return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
    };
    AnswerSelector selector = new AnswerSelector(registry, new FallbackSelector(boxed), boxed, metrics);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ranker-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    driver = new TopologyTestDriver(
        RankerTopology.build(serdes, selector, scorer, () -> NO_READ_BACK, metrics, SETTINGS, "ranker"), props,
        Instant.ofEpochMilli(1_000_000));
    candidates = driver.createInputTopic(Topics.CANDIDATES.name(), Serdes.String().serializer(),
        serdes.of(Candidate.class).serializer());
    rawCandidates = driver.createInputTopic(Topics.CANDIDATES.name(), new ByteArraySerializer(),
        new ByteArraySerializer());
    answers = driver.createOutputTopic(Topics.ANSWERS.name(), Serdes.String().deserializer(),
        serdes.of(RankedAnswer.class).deserializer());
    deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
        serdes.of(DeadLetter.class).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    registry.close();
  }

  @Test
  void aCompleteGroupIsAnsweredOnceByTheActiveRankerWithEveryScore() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));

    pipeGroup("a", 4, "math", null);
    tick();

    List<RankedAnswer> out = answers.readValuesToList();
    assertEquals(1, out.size());
    RankedAnswer answer = out.get(0);
    assertEquals(Strategy.LISTWISE_RANKER, answer.getStrategy());
    assertEquals(1L, answer.getRankerVersion());
    assertTrue(answer.getComplete());
    assertEquals(4, answer.getScores().size());
    CandidateScore best = answer.getScores().stream().max((x, y) -> Double.compare(x.getScore(), y.getScore())).get();
    assertEquals(best.getIndex(), answer.getChosenIndex());
    assertEquals("text " + best.getIndex() + " \\boxed{" + (best.getIndex() % 2) + "}", answer.getChosenText());
  }

  @Test
  void aGroupMissingCandidatesIsAnsweredIncompleteAfterTheTimeout() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    for (int i = 0; i < 3; i++) {
      candidates.pipeInput("b", candidate("b", i, 5, "math", null));
    }
    tick();
    assertTrue(answers.isEmpty());

    driver.advanceWallClockTime(SETTINGS.groupTimeout().plusSeconds(1));

    RankedAnswer answer = answers.readValue();
    assertFalse(answer.getComplete());
    assertEquals(3, answer.getCandidatesRanked());
    assertEquals(5, answer.getK());
    assertTrue(answer.getLatencyMs() >= SETTINGS.groupTimeout().toMillis());
    assertTrue(answers.isEmpty());
  }

  @Test
  void duplicatesAreIgnoredAndLateCandidatesDroppedSoEachRequestGetsOneAnswer() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    candidates.pipeInput("c", candidate("c", 0, 2, "math", null));
    candidates.pipeInput("c", candidate("c", 0, 2, "math", null));
    candidates.pipeInput("c", candidate("c", 1, 2, "math", null));
    tick();
    candidates.pipeInput("c", candidate("c", 1, 2, "math", null));
    driver.advanceWallClockTime(SETTINGS.groupTimeout().plusSeconds(1));

    assertEquals(1, answers.readValuesToList().size());
    assertEquals(1.0, meters.get("lr.ranker.candidates.dropped").tag("reason", "duplicate").counter().count());
    assertEquals(1.0, meters.get("lr.ranker.candidates.dropped").tag("reason", "late").counter().count());
  }

  @Test
  void aPoisonCandidateGoesToDeadLettersAndItsGroupIsRankedWithoutIt() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    Candidate nan = candidate("d", 1, 3, "math", null);
    nan.getFeatures().setResponse(floats(new float[DIM], Float.NaN));
    candidates.pipeInput("d", candidate("d", 0, 3, "math", null));
    candidates.pipeInput("d", nan);
    candidates.pipeInput("d", candidate("d", 2, 3, "math", null));
    rawCandidates.pipeInput("e".getBytes(), "garbage".getBytes());
    tick();

    RankedAnswer answer = answers.readValue();
    assertEquals(List.of(0, 2), answer.getScores().stream().map(CandidateScore::getIndex).toList());
    assertFalse(answer.getComplete());
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(2, letters.size());
    assertTrue(letters.get(0).getReason().contains("NaN or infinite value"), letters.get(0).getReason());
    assertTrue(letters.get(1).getReason().contains("known framing"), letters.get(1).getReason());
  }

  @Test
  void featuresOfTheWrongDimensionForTheActiveRankerAreDeadLettered() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    Candidate wide = candidate("f", 0, 2, "math", null);
    wide.setFeatures(features(DIM * 2, LAYER, 9));
    candidates.pipeInput("f", wide);
    candidates.pipeInput("f", candidate("f", 1, 2, "math", null));
    tick();

    assertTrue(deadLetters.readValue().getReason().contains("dim " + DIM * 2 + "; ranker math@1 reads layer " + LAYER));
    assertEquals(List.of(1), answers.readValue().getScores().stream().map(CandidateScore::getIndex).toList());
  }

  @Test
  void candidatesOfAnotherPoolingAreDeadLetteredAndTheGroupRankedWithoutThem() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    Candidate meanPooled = candidate("p", 0, 2, "math", null);
    meanPooled.getFeatures().setPooling(dev.languageranker.events.FeaturePooling.MEAN);
    candidates.pipeInput("p", meanPooled);
    candidates.pipeInput("p", candidate("p", 1, 2, "math", null));
    tick();

    String reason = deadLetters.readValue().getReason();
    assertTrue(reason.contains("mean-pooled features; ranker math@1 reads last-pooled"), reason);
    RankedAnswer answer = answers.readValue();
    assertEquals(List.of(1), answer.getScores().stream().map(CandidateScore::getIndex).toList());
    assertEquals(Strategy.LISTWISE_RANKER, answer.getStrategy());
  }

  @Test
  void aRankerWithSideFeaturesScoresWithTheGroupsAnswerKeysAndLogProbs() throws Exception {
    registry.install(ReleaseLoader.load(TestRankers.sideFeatureRelease("math", 1, DIM, LAYER)));

    pipeGroup("s", 5, "math", null); // \boxed{0} for even indexes (3 votes), \boxed{1} for odd (2); log-prob -index
    tick();

    RankedAnswer answer = answers.readValue();
    assertEquals(Strategy.LISTWISE_RANKER, answer.getStrategy());
    assertEquals(0, answer.getChosenIndex());
    Map<Integer, Double> scores = new java.util.HashMap<>();
    answer.getScores().forEach(s -> scores.put(s.getIndex(), s.getScore()));
    // The majority's candidates outscore the minority's, and within each answer the more confident one wins.
    assertTrue(scores.get(4) > scores.get(1), scores.toString());
    assertTrue(scores.get(0) > scores.get(2) && scores.get(2) > scores.get(4), scores.toString());
    assertTrue(scores.get(1) > scores.get(3), scores.toString());
  }

  @Test
  void withoutARankerMathIsDecidedByMajorityVoteAndOtherTasksByMeanLogProb() {
    pipeGroup("g", 5, "nobody", null); // answers \boxed{0} for even, \boxed{1} for odd indexes: 0 wins 3 to 2
    Candidate general = Candidate.newBuilder(candidate("h", 0, 2, "nobody", null)).setTask(Task.GENERAL)
        .setLogProbMean(-2).build();
    candidates.pipeInput("h", general);
    candidates.pipeInput("h", Candidate.newBuilder(general).setIndex(1).setLogProbMean(-0.5).build());
    tick();

    List<RankedAnswer> out = answers.readValuesToList();
    assertEquals(Strategy.MAJORITY_VOTE, out.get(0).getStrategy());
    assertEquals(0, out.get(0).getChosenIndex() % 2);
    assertNull(out.get(0).getRankerVersion());
    assertEquals(List.of(3.0, 2.0, 3.0, 2.0, 3.0),
        out.get(0).getScores().stream().map(CandidateScore::getScore).toList());
    assertEquals(Strategy.MEAN_LOG_PROB, out.get(1).getStrategy());
    assertEquals(1, out.get(1).getChosenIndex());
  }

  @Test
  void aPromptPinningAVersionIsRankedByThatVersion() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    registry.install(TestRankers.loaded("math", 2, DIM, LAYER, 2));

    pipeGroup("i", 3, "math", 1L);
    pipeGroup("j", 3, "math", null);
    tick();

    List<RankedAnswer> out = answers.readValuesToList();
    assertEquals(1L, out.get(0).getRankerVersion());
    assertEquals(2L, out.get(1).getRankerVersion());
  }

  @Test
  void aVersionSwappedInBetweenTwoRecordsRanksTheNextGroup() throws Exception {
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    pipeGroup("k", 3, "math", null);
    tick();

    registry.install(TestRankers.loaded("math", 2, DIM, LAYER, 2));
    pipeGroup("l", 3, "math", null);
    tick();

    List<RankedAnswer> out = answers.readValuesToList();
    assertEquals(List.of(1L, 2L), out.stream().map(RankedAnswer::getRankerVersion).toList());
  }

  @Test
  void answersAreEmittedWhenTheScorerFinishesAndCandidatesArrivingMeanwhileAreLate() throws Exception {
    driver.close();
    List<Runnable> scorer = new ArrayList<>();
    start(scorer::add); // scoring waits until the test runs it
    registry.install(TestRankers.loaded("math", 1, DIM, LAYER, 1));
    pipeGroup("m", 3, "math", null);
    tick();
    assertEquals(1, scorer.size());
    assertTrue(answers.isEmpty());

    candidates.pipeInput("m", candidate("m", 2, 3, "math", null)); // group m is being scored
    scorer.remove(0).run();
    tick();

    RankedAnswer answer = answers.readValue();
    assertEquals("m", answer.getRequestId());
    assertTrue(answer.getComplete());
    assertTrue(answers.isEmpty());
    assertEquals(1.0, meters.get("lr.ranker.candidates.dropped").tag("reason", "late").counter().count());
  }

  private void tick() {
    driver.advanceWallClockTime(Duration.ofMillis(20));
  }

  private void pipeGroup(String rid, int k, String rankerId, Long pinned) {
    for (int i = 0; i < k; i++) {
      candidates.pipeInput(rid, candidate(rid, i, k, rankerId, pinned));
    }
  }

  private static Candidate candidate(String rid, int index, int k, String rankerId, Long pinned) {
    return Candidate.newBuilder(SampleEvents.candidate(index, DIM))
        .setRequestId(rid).setTask(Task.MATH).setRankerId(rankerId).setRankerVersion(pinned).setIndex(index).setK(k)
        .setText("text " + index + " \\boxed{" + (index % 2) + "}").setLogProbMean(-index)
        .setFeatures(features(DIM, LAYER, index + 31L * rid.hashCode())).build();
  }

  private static Features features(int dim, int layer, long seed) {
    Random random = new Random(seed);
    float[] instruction = new float[dim];
    float[] response = new float[dim];
    for (int i = 0; i < dim; i++) {
      instruction[i] = (float) new Random(7 + i).nextGaussian();
      response[i] = (float) random.nextGaussian();
    }
    return Features.newBuilder().setLayer(layer).setNumLayers(6).setDim(dim).setDtype(FeatureDtype.FLOAT32)
        .setInstruction(floats(instruction, null)).setResponse(floats(response, null)).build();
  }

  private static ByteBuffer floats(float[] values, Float first) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      b.putFloat(i == 0 && first != null ? first : values[i]);
    }
    return b.flip();
  }
}
