package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.answers.selection.SelectionCandidate;
import dev.languageranker.answers.selection.Selections;
import dev.languageranker.dashboard.DashboardPicks;
import dev.languageranker.events.Candidate;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.Verdict;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.eval.Baselines;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetBuilder;
import dev.languageranker.ranker.eval.Evaluator;
import dev.languageranker.ranker.eval.GroupResults;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranking.AnswerKeys;
import dev.languageranker.ranking.FallbackPicks;
import dev.languageranker.schemas.SampleEvents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The same groups fed to every consumer of the selection strategies (the ranker service's fallback, the eval
 * baselines, the release gate's champion fallback and the dashboard's baselines) give the same picks.
 */
class SelectionConsistencyTest {
  private static final int N = 6;
  private static final int DIM = 2;
  private static final int GROUPS = 400;
  // The text is the answer key; an empty text has none.
  private static final AnswerKeys KEY_IS_TEXT = (task, text) -> text.isEmpty() ? Optional.empty() : Optional.of(text);

  /** One generated group: few keys and few log-prob values, so votes and log-probs tie often. */
  private record Drawn(String[] keys, float[] logProbs, float[] labels) {}

  @Test
  void everyConsumerPicksTheSameCandidateOnTheSameGroups() {
    Random random = new Random(24);
    List<Drawn> drawn = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      String[] keys = new String[N];
      float[] logProbs = new float[N];
      float[] labels = new float[N];
      boolean keyless = g % 10 == 0; // some groups without any answer key
      for (int i = 0; i < N; i++) {
        int k = random.nextInt(4);
        keys[i] = keyless || k == 3 ? null : "abc".substring(k, k + 1);
        logProbs[i] = -0.5f * random.nextInt(3);
        labels[i] = random.nextInt(3) / 2f; // ties on labels too, for the oracle
      }
      drawn.add(new Drawn(keys, logProbs, labels));
    }

    int keyTies = 0;
    try (NDManager manager = NDManager.newBaseManager(); TrainingSet set = trainingSet(drawn, manager)) {
      GroupResults eval = new Evaluator(N, 1, 3).compare(Map.of(), set, Evaluator.allPrompts(set));
      assertEquals(GROUPS, eval.groups().size());
      for (int g = 0; g < GROUPS; g++) {
        Drawn d = drawn.get(g);
        TrainingPrompt prompt = set.prompts().get(g);
        List<SelectionCandidate> shared = Baselines.candidates(prompt);
        List<LabeledCandidate> labeled = labeled(d);
        int prompted = eval.groups().get(g).prompt();
        assertEquals(g, prompted, "the evaluator keeps the prompts' order");

        int majority = Selections.majorityVote(shared);
        int fallback = Selections.fallback(shared);
        // the ranker service's fallback, and the gate's champion fallback
        assertEquals(fallback, FallbackPicks.pick(candidates(d), KEY_IS_TEXT), "service fallback, group " + g);
        assertEquals(fallback, FallbackChoice.pick(prompt), "gate fallback, group " + g);
        assertEquals(majority, FallbackChoice.majorityVote(prompt), "gate majority, group " + g);
        // the dashboard's baselines (and so the progress line)
        assertEquals(majority, DashboardPicks.majorityVote(labeled), "dashboard majority, group " + g);
        assertEquals(Selections.meanLogProb(shared), DashboardPicks.meanLogProb(labeled), "dashboard log-prob " + g);
        assertEquals(Selections.firstSample(shared), DashboardPicks.firstSample(labeled), "dashboard first " + g);
        assertEquals(Selections.oracle(shared), DashboardPicks.oracle(labeled), "dashboard oracle " + g);
        // the eval baselines report the label of their pick
        assertEquals(d.labels()[majority], eval.perGroup(Evaluator.MAJORITY_VOTE)[g], "eval majority, group " + g);
        assertEquals(d.labels()[Selections.meanLogProb(shared)], eval.perGroup(Evaluator.MEAN_LOGPROB)[g]);
        assertEquals(d.labels()[Selections.firstSample(shared)], eval.perGroup(Evaluator.FIRST_SAMPLE)[g]);
        assertEquals(d.labels()[Selections.oracle(shared)], eval.perGroup(Evaluator.ORACLE)[g]);
        // a keyless group's majority vote is its mean log-prob pick, everywhere
        if (!Selections.anyAnswerKey(shared)) {
          assertEquals(Selections.meanLogProb(shared), majority);
        } else if (tiedKeys(d.keys())) {
          keyTies++;
        }
      }
    }
    assertTrue(keyTies > 50, "the groups exercise the vote's tie rule: " + keyTies);
  }

  @Test
  void theDashboardsMajorityNoLongerTakesTheKeyThatReachedTheTopCountFirst() {
    // a, b, b, a: b reaches two votes first; the tie goes to the higher mean log-prob (candidate 3's a) everywhere
    Drawn d = new Drawn(new String[]{"a", "b", "b", "a"}, new float[]{-1, -1, -1, -0.5f}, new float[]{0, 1, 1, 0});
    assertEquals(3, DashboardPicks.majorityVote(labeled(d)));
    assertEquals(3, FallbackPicks.pick(candidates(d), KEY_IS_TEXT));
  }

  private static boolean tiedKeys(String[] keys) {
    Map<String, Integer> votes = new java.util.HashMap<>();
    for (String k : keys) {
      if (k != null) {
        votes.merge(k, 1, Integer::sum);
      }
    }
    int top = votes.values().stream().max(Integer::compare).orElse(0);
    return votes.values().stream().filter(v -> v == top).count() > 1;
  }

  private static List<Candidate> candidates(Drawn d) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < d.keys().length; i++) {
      out.add(Candidate.newBuilder(SampleEvents.candidate(i, DIM)).setIndex(i).setK(d.keys().length)
          .setText(d.keys()[i] == null ? "" : d.keys()[i]).setLogProbMean(d.logProbs()[i]).build());
    }
    return out;
  }

  private static List<LabeledCandidate> labeled(Drawn d) {
    List<LabeledCandidate> out = new ArrayList<>();
    for (int i = 0; i < d.keys().length; i++) {
      out.add(LabeledCandidate.newBuilder().setIndex(i).setResponse(ByteBuffer.allocate(4)).setLabel(d.labels()[i])
          .setVerdict(d.labels()[i] > 0.5 ? Verdict.CORRECT : Verdict.INCORRECT).setAnswerKey(d.keys()[i])
          .setLogProbMean(d.logProbs()[i]).build());
    }
    return out;
  }

  private static TrainingSet trainingSet(List<Drawn> drawn, NDManager manager) {
    TrainingSetBuilder builder = new TrainingSetBuilder(1, DIM, FeatureDtype.FLOAT32, LabelType.REAL);
    for (int g = 0; g < drawn.size(); g++) {
      Drawn d = drawn.get(g);
      List<ByteBuffer> responses = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        responses.add(zeros());
      }
      builder.add("r" + g, new FeatureGroup(1, DIM, FeatureDtype.FLOAT32, zeros(), responses), d.labels(),
          d.logProbs(), d.keys());
    }
    return builder.build(manager);
  }

  private static ByteBuffer zeros() {
    return ByteBuffer.allocate(DIM * 4).order(ByteOrder.LITTLE_ENDIAN);
  }
}
