package dev.languageranker.schemas;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.CandidateScore;
import dev.languageranker.events.ChatMessage;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import dev.languageranker.events.FinishReason;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.RankerArchitecture;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.Reference;
import dev.languageranker.events.SamplingParams;
import dev.languageranker.events.Strategy;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingDecision;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.events.Verdict;
import dev.languageranker.events.VerificationOutcome;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every event type, for round-trip tests. */
public final class SampleEvents {
  private static final Instant T = Instant.ofEpochMilli(1_790_000_000_000L);

  private SampleEvents() {}

  /** Every topic value type with a sample, in catalogue order. */
  public static List<SpecificRecord> all() {
    return List.of(prompt(), reference(), candidate(3, 4096), answer(), outcome(), trainingExample(), release(),
        trainingRun(), deadLetter());
  }

  public static PromptRequest prompt() {
    return PromptRequest.newBuilder()
        .setRequestId("req-1").setTask(Task.MATH).setText("What is 2 + 3 * 4?")
        .setMessages(List.of(new ChatMessage("system", "You are a math expert."), new ChatMessage("user", "2+3*4?")))
        .setFunctions(null).setRankerId("math-default").setRankerVersion(7L).setK(10)
        .setSampling(SamplingParams.newBuilder().setTemperature(1.5).setTopP(0.95).setTopK(50).setMaxNewTokens(256)
            .setSeed(42L).setStop(List.of("</s>")).build())
        .setCreatedAt(T).setMetadata(Map.of("tenant", "acme")).build();
  }

  public static Reference reference() {
    return Reference.newBuilder().setRequestId("req-1").setTask(Task.CODE).setAnswer(null)
        .setTests(List.of("assert f(1) == 2", "assert f(2) == 3")).setTestSetup("import math")
        .setExpectedCalls(null).setFunctions(null).setCreatedAt(T).build();
  }

  /** A candidate with random bf16 features of {@code dim} elements. */
  public static Candidate candidate(int index, int dim) {
    Random random = new Random(index);
    return Candidate.newBuilder()
        .setRequestId("req-1").setTask(Task.MATH).setRankerId("math-default").setRankerVersion(null)
        .setIndex(index).setK(10).setText("2 + 12 = 14, so \\boxed{14}").setTokenCount(17)
        .setLogProbSum(-8.5).setLogProbMean(-0.5).setFinishReason(FinishReason.EOS)
        .setFeatures(Features.newBuilder().setLayer(19).setNumLayers(32).setDim(dim).setDtype(FeatureDtype.BFLOAT16)
            .setInstruction(randomBytes(random, dim * 2)).setResponse(randomBytes(random, dim * 2)).build())
        .setBaseModelId("meta-llama/Llama-3.1-8B-Instruct@main").setPromptCreatedAt(T).setGeneratedAt(T.plusMillis(900))
        .setMetadata(Map.of()).build();
  }

  public static RankedAnswer answer() {
    return RankedAnswer.newBuilder().setRequestId("req-1").setTask(Task.MATH).setChosenIndex(3)
        .setChosenText("\\boxed{14}").setScores(List.of(new CandidateScore(0, 0.1), new CandidateScore(3, 0.9)))
        .setStrategy(Strategy.LISTWISE_RANKER).setRankerId("math-default").setRankerVersion(7L).setComplete(false)
        .setCandidatesRanked(2).setK(10).setBaseModelId("demo").setLatencyMs(35).setPromptCreatedAt(T)
        .setAnsweredAt(T.plusSeconds(2)).setMetadata(Map.of("tenant", "acme")).build();
  }

  public static VerificationOutcome outcome() {
    return VerificationOutcome.newBuilder().setRequestId("req-1").setCandidateIndex(3).setVerdict(Verdict.RATED)
        .setLabelType(LabelType.REAL).setScore(4.5).setVerifier("judge:external").setAnswerKey(null)
        .setDetail("helpful and correct").setExternal(true).setDurationMs(120L).setVerifiedAt(T).build();
  }

  public static TrainingExample trainingExample() {
    Random random = new Random(1);
    return TrainingExample.newBuilder().setRequestId("req-1").setTask(Task.FUNCTION_CALL).setRankerId("fc")
        .setBaseModelId("demo").setLayer(4).setDim(64).setDtype(FeatureDtype.FLOAT32)
        .setInstruction(randomBytes(random, 256)).setLabelType(LabelType.BINARY)
        .setCandidates(List.of(
            new LabeledCandidate(0, randomBytes(random, 256), 1.0, Verdict.CORRECT, "[{\"name\":\"f\"}]", -0.3, 12),
            new LabeledCandidate(1, randomBytes(random, 256), 0.0, Verdict.UNPARSEABLE, null, -1.2, 30)))
        .setK(2).setComplete(true).setCreatedAt(T).build();
  }

  public static RankerRelease release() {
    return RankerRelease.newBuilder().setRankerId("math-default").setVersion(8)
        .setArchitecture(RankerArchitecture.LISTWISE)
        .setBaseModelId("demo").setFeatureLayer(4).setFeatureDim(256).setProjectionDim(64).setParameterCount(49_000)
        .setBundle(randomBytes(new Random(2), 50_000)).setSha256("00ff").setMetrics(Map.of("holdout_accuracy", 0.61))
        .setTrainingExamples(374).setPreviousVersion(7L).setRollbackOf(null).setCreatedAt(T).setPublishedAt(T).build();
  }

  public static TrainingRun trainingRun() {
    return TrainingRun.newBuilder().setRunId("run-9").setRankerId("math-default").setCandidateVersion(8)
        .setChampionVersion(7L).setTrainGroups(300).setHoldoutGroups(74).setDurationMs(12_000)
        .setMetrics(Map.of("holdout_accuracy", 0.61)).setChampionMetrics(Map.of("holdout_accuracy", 0.58))
        .setDecision(TrainingDecision.PUBLISHED).setReason("beats the champion by 3 points").setStartedAt(T)
        .setFinishedAt(T.plusSeconds(12)).build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder().setSourceTopic("lr.prompts").setPartition(2).setOffset(41L)
        .setKey(ByteBuffer.wrap("req-1".getBytes())).setValue(ByteBuffer.wrap(new byte[]{1, 2, 3}))
        .setHeaders(Map.of("trace", "abc")).setReason("cannot deserialize").setErrorClass("SerializationException")
        .setService("generator").setFailedAt(T).build();
  }

  private static ByteBuffer randomBytes(Random random, int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return ByteBuffer.wrap(bytes);
  }
}
