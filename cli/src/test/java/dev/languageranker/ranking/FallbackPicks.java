package dev.languageranker.ranking;

import dev.languageranker.events.Candidate;
import java.util.List;

/** Test access to the ranker service's package-private fallback, for the selection consistency test. */
public final class FallbackPicks {
  private FallbackPicks() {}

  /** The candidate index the ranker service serves without a ranker. */
  public static int pick(List<Candidate> group, AnswerKeys answerKeys) {
    return new FallbackSelector(answerKeys).select(group).chosenIndex();
  }
}
