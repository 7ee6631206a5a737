package dev.languageranker.answers.selection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The one definition of each selection strategy (first sample, majority vote, mean log-prob, oracle, fallback). */
public final class Selections {

  private Selections() {}

  /**
   * The tie rule of every strategy but the vote: the lowest candidate index, i.e. the earliest sample among the tied
   * (for mean log-prob and the oracle an exact tie is rare and cannot change the value; it only makes picks stable).
   */
  private static boolean before(SelectionCandidate a, SelectionCandidate b) {
    return a.index() < b.index();
  }

  /**
   * The vote's tie rule: among candidates of equally voted keys, the higher mean log-prob, then the lower index. Chosen
   * on held-out demo v2 samples against the lowest index and a seeded coin (docs/ranking.md): never worse, and better
   * on function calls (+.031 [+.018, +.043] over the lowest index at K = 4).
   */
  private static boolean beforeInVote(SelectionCandidate a, SelectionCandidate b) {
    return higher(a.meanLogProb(), b.meanLogProb()) || (same(a.meanLogProb(), b.meanLogProb()) && before(a, b));
  }

  /** The first sample: the lowest candidate index. */
  public static int firstSample(List<SelectionCandidate> group) {
    requireCandidates(group);
    SelectionCandidate best = group.get(0);
    for (SelectionCandidate c : group) {
      if (before(c, best)) {
        best = c;
      }
    }
    return best.index();
  }

  /**
   * Self-consistency: a candidate whose answer key is shared by the most candidates; candidates without a key do not
   * vote. Among tied keys, the candidate holding one of them with the highest mean log-prob, then the lowest index. Without any key, {@link #noAnswerKey}.
   */
  public static int majorityVote(List<SelectionCandidate> group) {
    requireCandidates(group);
    Map<String, Integer> votes = new HashMap<>();
    for (SelectionCandidate c : group) {
      if (c.answerKey() != null) {
        votes.merge(c.answerKey(), 1, Integer::sum);
      }
    }
    if (votes.isEmpty()) {
      return noAnswerKey(group);
    }
    SelectionCandidate best = null;
    int bestVotes = 0;
    for (SelectionCandidate c : group) {
      if (c.answerKey() == null) {
        continue;
      }
      int v = votes.get(c.answerKey());
      if (best == null || v > bestVotes || (v == bestVotes && beforeInVote(c, best))) {
        best = c;
        bestVotes = v;
      }
    }
    return best.index();
  }

  /**
   * The highest mean log-prob; ties, and a NaN log-prob (never preferred), go by the lowest candidate index.
   */
  public static int meanLogProb(List<SelectionCandidate> group) {
    requireCandidates(group);
    SelectionCandidate best = null;
    for (SelectionCandidate c : group) {
      if (best == null || higher(c.meanLogProb(), best.meanLogProb())
          || (same(c.meanLogProb(), best.meanLogProb()) && before(c, best))) {
        best = c;
      }
    }
    return best.index();
  }

  /**
   * The best label, the best any selector could do; ties by the lowest candidate index. An unknown (NaN) label is
   * never preferred to a known one.
   */
  public static int oracle(List<SelectionCandidate> group) {
    requireCandidates(group);
    SelectionCandidate best = null;
    for (SelectionCandidate c : group) {
      if (best == null || higher(c.label(), best.label()) || (same(c.label(), best.label()) && before(c, best))) {
        best = c;
      }
    }
    return best.index();
  }

  /**
   * A group in which no candidate has an answer key: the highest mean log-prob, which beat the first sample on the
   * demo's function calls (+.092 [+.055, +.130]) and was level on math (docs/ranking.md).
   */
  public static int noAnswerKey(List<SelectionCandidate> group) {
    return meanLogProb(group);
  }

  /** Whether any candidate has an answer key, i.e. whether the fallback votes. */
  public static boolean anyAnswerKey(List<SelectionCandidate> group) {
    for (SelectionCandidate c : group) {
      if (c.answerKey() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a ranker service serves without a trained ranker: the majority vote when any candidate has an answer key,
   * otherwise the highest mean log-prob.
   */
  public static int fallback(List<SelectionCandidate> group) {
    return anyAnswerKey(group) ? majorityVote(group) : noAnswerKey(group);
  }

  // NaN is below every number, so a missing value never wins over a present one.
  private static boolean higher(double a, double b) {
    return !Double.isNaN(a) && (Double.isNaN(b) || a > b);
  }

  private static boolean same(double a, double b) {
    return a == b || (Double.isNaN(a) && Double.isNaN(b));
  }

  private static void requireCandidates(List<SelectionCandidate> group) {
    if (group.isEmpty()) {
      throw new IllegalArgumentException("nothing to select from: no candidates");
    }
  }
}
