package dev.languageranker.answers.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionsTest {

  private static SelectionCandidate c(int index, String key, double logProb, double label) {
    return new SelectionCandidate(index, key, logProb, label);
  }

  @Test
  void theMostVotedAnswerWinsAndCandidatesWithoutAKeyDoNotVote() {
    List<SelectionCandidate> group = List.of(c(0, "7", -0.1, 0), c(1, null, 0, 0), c(2, "8", -0.9, 1),
        c(3, null, 0, 0), c(4, "8", -0.5, 1));
    assertEquals(4, Selections.majorityVote(group), "the more confident of the two 8s");
    assertEquals(4, Selections.fallback(group));
  }

  @Test
  void tiedAnswersGoToTheHigherMeanLogProbThenToTheEarlierSample() {
    // a, b, b, a: b reaches two votes first, but the tie rule does not look at the order of arrival
    assertEquals(3, Selections.majorityVote(List.of(c(0, "a", -1, 0), c(1, "b", -1, 0), c(2, "b", -1, 0),
        c(3, "a", -0.5, 0))));
    assertEquals(0, Selections.majorityVote(List.of(c(0, "a", -1, 0), c(1, "b", -1, 0), c(2, "b", -1, 0),
        c(3, "a", -1, 0))), "equal log-probs: the earliest sample");
    // the order of the list does not matter, only the candidates' indexes
    assertEquals(1, Selections.majorityVote(List.of(c(3, "b", -1, 0), c(1, "a", -1, 0))));
  }

  @Test
  void withoutAnyAnswerKeyEveryVoteFallsBackToTheHighestMeanLogProb() {
    List<SelectionCandidate> group = List.of(c(0, null, -0.9, 0), c(1, null, -0.2, 1), c(2, null, -0.2, 0));
    assertFalse(Selections.anyAnswerKey(group));
    assertEquals(1, Selections.noAnswerKey(group));
    assertEquals(1, Selections.majorityVote(group));
    assertEquals(1, Selections.fallback(group));
  }

  @Test
  void meanLogProbFirstSampleAndOracleBreakTiesByTheLowestIndex() {
    List<SelectionCandidate> group = List.of(c(2, "x", -0.3, 1), c(1, "y", -0.3, 1), c(0, "z", -0.8, 0),
        c(3, "w", Double.NaN, Double.NaN));
    assertTrue(Selections.anyAnswerKey(group));
    assertEquals(1, Selections.meanLogProb(group));
    assertEquals(0, Selections.firstSample(group));
    assertEquals(1, Selections.oracle(group), "NaN labels are unknown, never the best");
    assertEquals(0, Selections.meanLogProb(List.of(c(0, null, Double.NaN, 0), c(1, null, Double.NaN, 0))));
  }

  @Test
  void anEmptyGroupHasNothingToSelect() {
    assertThrows(IllegalArgumentException.class, () -> Selections.majorityVote(List.of()));
  }
}
