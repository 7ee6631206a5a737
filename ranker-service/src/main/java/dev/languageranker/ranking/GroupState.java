package dev.languageranker.ranking;

/**
 * What the ranker remembers of an open group: when its first candidate arrived, its size, how many candidates were
 * accepted and rejected, and whether it is ready to rank (every candidate accounted for).
 */
public record GroupState(long firstArrivalMs, int k, int accepted, int rejected) {
  boolean ready() {
    return k > 0 && accepted + rejected >= k;
  }

  GroupState accept() {
    return new GroupState(firstArrivalMs, k, accepted + 1, rejected);
  }

  GroupState reject() {
    return new GroupState(firstArrivalMs, k, accepted, rejected + 1);
  }
}
