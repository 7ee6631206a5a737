package dev.languageranker.ranker.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TieBreakingTest {

  @Test
  void equalScoresArePickedAtRandomAndOnlyTiesBetweenDifferentLabelsCount() {
    TieBreaker breaker = new TieBreaker(3);
    double[] scores = {1, 1, 1, 1};
    double[] labels = {0, 1, 0, 1};
    int[] counts = new int[4];
    for (int i = 0; i < 4_000; i++) {
      TieBreaker.Pick pick = breaker.pick(scores, 0, 4, labels);
      counts[pick.position()]++;
      assertTrue(pick.tiedOnOutcome());
    }
    for (int count : counts) {
      assertEquals(1_000, count, 120, "each tied position is picked about equally often");
    }
    assertFalse(breaker.pick(new double[]{2, 1, 2}, 0, 3, new double[]{1, 0, 1}).tiedOnOutcome(),
        "same labels: no tie that matters");
    assertEquals(1, breaker.pick(new double[]{0, 5, 1}, 0, 3, labels).position());
    // The same seed gives the same picks.
    assertEquals(new TieBreaker(9).pick(scores, 0, 4, labels), new TieBreaker(9).pick(scores, 0, 4, labels));
  }

  @Test
  void aCollapsedRankerIsMeasuredAsARandomPickNotAsTheFirstSample() {
    // given a ranker whose scores are all equal (a side-feature-only ranker with zero weights)
    RankerConfig config = RankerConfig.defaults(RankerArchitecture.LISTWISE, 32, 1)
        .withSideFeatures(java.util.List.of(SideFeature.VOTE_SHARE)).withHiddenStates(false);
    RankerNetwork network = RankerNetwork.of(config);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet set = SyntheticFeatures.of(80, 10, 32, 4).build(manager);
        Ranker collapsed = new Ranker(network,
            RankerWeights.initialize(manager.newSubManager(), network.parameters(), 1),
            manager.newSubManager())) {
      // when it is evaluated with the baselines on the same groups
      GroupResults results = new Evaluator(10, 1, 5).compare(Map.of("collapsed", collapsed), set,
          Evaluator.allPrompts(set));

      // then it does not simply copy the first sample's picks, and the coin's decisions are counted
      double[] ranker = results.perGroup("collapsed");
      double[] first = results.perGroup(Evaluator.FIRST_SAMPLE);
      int differing = 0;
      for (int g = 0; g < ranker.length; g++) {
        differing += ranker[g] != first[g] ? 1 : 0;
      }
      assertTrue(differing > 10,
          "a collapsed ranker's picks differ from the first sample's in " + differing + " of 80 groups");
      assertTrue(results.ties("collapsed") > 40, "ties counted: " + results.ties("collapsed"));
      assertEquals(0, results.ties(Evaluator.FIRST_SAMPLE));
      assertEquals(80, results.perPrompt("collapsed").length);
    }
  }
}
