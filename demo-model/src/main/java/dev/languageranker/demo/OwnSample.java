package dev.languageranker.demo;

/**
 * One response a base model sampled for a training problem, as the self-assessment stage reads it: the sampled token
 * ids (ending with the end marker when the model wrote one), the checker's verdict, and {@code departure}, the index of
 * the first token where it leaves every worked solution of the problem ({@code responseIds.length} when it is right,
 * and so "right so far" throughout).
 */
public record OwnSample(DemoProblem problem, long[] responseIds, boolean endsWithEnd, boolean correct, int departure) {

  public OwnSample {
    if (departure < 0 || departure > responseIds.length) {
      throw new IllegalArgumentException("departure " + departure + " outside 0.." + responseIds.length);
    }
  }
}
