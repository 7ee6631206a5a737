package dev.languageranker.labeler;

/**
 * What the labeler remembers of one request between records: when it was first seen, how many candidates it
 * has, and when it was finished (0 while open), so late records can be told apart.
 */
public record RequestState(long firstSeenMs, int k, long doneAtMs) {
  static RequestState open(long now) {
    return new RequestState(now, 0, 0);
  }

  boolean done() {
    return doneAtMs > 0;
  }

  RequestState withK(int newK) {
    return new RequestState(firstSeenMs, newK, doneAtMs);
  }

  RequestState finishedAt(long now) {
    return new RequestState(firstSeenMs, k, now);
  }
}
