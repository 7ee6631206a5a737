package dev.languageranker.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Strategy;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

  static LabeledCandidate candidate(int index, double label, String key, double logProb) {
    return LabeledCandidate.newBuilder().setIndex(index).setResponse(ByteBuffer.allocate(4)).setLabel(label)
        .setVerdict(label > 0 ? dev.languageranker.events.Verdict.CORRECT : dev.languageranker.events.Verdict.INCORRECT)
        .setAnswerKey(key).setLogProbMean(logProb).build();
  }

  static TrainingExample example(String id, List<LabeledCandidate> candidates, Instant at) {
    return TrainingExample.newBuilder().setRequestId(id).setTask(Task.MATH).setRankerId("default")
        .setBaseModelId("demo").setLayer(1).setDim(1).setDtype(FeatureDtype.FLOAT32)
        .setInstruction(ByteBuffer.allocate(4)).setLabelType(LabelType.BINARY).setCandidates(candidates)
        .setK(candidates.size()).setComplete(true).setCreatedAt(at).build();
  }

  static RankedAnswer answer(String id, int chosen, Long version, Instant at) {
    return RankedAnswer.newBuilder().setRequestId(id).setTask(Task.MATH).setChosenIndex(chosen).setChosenText("x")
        .setScores(List.of()).setStrategy(version == null ? Strategy.MAJORITY_VOTE : Strategy.LISTWISE_RANKER)
        .setRankerId("default").setRankerVersion(version).setComplete(true).setCandidatesRanked(3).setK(3)
        .setBaseModelId("demo").setLatencyMs(40).setPromptCreatedAt(at.minusMillis(900)).setAnsweredAt(at).build();
  }

  @Test
  void scoresTheServedPickAndEveryBaselineOnTheSameLabeledRequest() {
    // Candidate 0 wrong; 1 and 2 agree on the right answer; 0 has the highest log-prob.
    List<LabeledCandidate> candidates = List.of(candidate(0, 0, "7", -0.1), candidate(1, 1, "8", -0.5),
        candidate(2, 1, "8", -0.9));
    ServedOutcome outcome = ServedOutcome.of(answer("r", 2, 1L, Instant.now()),
        example("r", new ArrayList<>(candidates), Instant.now()));

    assertEquals(1.0, outcome.served());
    assertEquals(0.0, outcome.firstSample());
    assertEquals(1.0, outcome.majorityVote());
    assertEquals(0.0, outcome.meanLogProb());
    assertEquals(1.0, outcome.oracle());
  }

  @Test
  void rendersQualityVersionsMarkersAndRetrainingFromRecordsWithoutRuns() {
    PipelineRecords records = new PipelineRecords();
    Instant now = Instant.now();
    for (int i = 0; i < 4; i++) {
      records.example(example("r" + i, new ArrayList<>(List.of(candidate(0, i % 2, "a", -1),
          candidate(1, 1, "b", -2), candidate(2, 1, "b", -3))), now));
      records.answer(answer("r" + i, 1, null, now));
    }
    records.release("default", null, now.toEpochMilli()); // a tombstone before any version: retired

    JsonNode state = DashboardState.render(null, List.of(), records.view(), 60_000,
        new DashboardState.RetrainTrigger(100, 3_600_000), null);

    assertEquals(4, state.get("labeledAnswers").asInt());
    assertEquals(1.0, state.at("/accuracy/default/served").asDouble());
    assertEquals(0.5, state.at("/accuracy/default/first_sample").asDouble());
    assertEquals(4, state.at("/retrain/default/examplesSinceLastRun").asInt());
    // 4 examples in the last five minutes: 96 more at that rate.
    assertEquals(96 * 300 / 4, state.at("/retrain/default/etaSeconds").asLong(), 1);
    assertTrue(state.at("/versions/0/active").isNull());
    assertEquals("retired", state.at("/markers/0/kind").asText());
    assertEquals(1, state.at("/quality/default/t").size());
    assertTrue(state.at("/latency/0.5").asDouble() >= 900, state.get("latency").toString());
    assertEquals(Map.of("served", 1.0), Map.of("served", DashboardState.accuracies(records.view())
        .get("default").get("served")));
  }
}
