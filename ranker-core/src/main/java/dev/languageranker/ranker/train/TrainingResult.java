package dev.languageranker.ranker.train;

import dev.languageranker.ranker.eval.EvaluationReport;
import dev.languageranker.ranker.inference.Ranker;

/**
 * What a run produced: the ranker (caller closes it), its held-out metrics and the run's size.
 *
 * @param trainingGroups groups the optimiser saw over all epochs
 * @param droppedGroups groups drawn but dropped for lacking a positive or a negative
 */
public record TrainingResult(
    Ranker ranker, EvaluationReport holdout, TrainingConfig config, int trainingPrompts, int holdoutPrompts,
    int trainingGroups, int droppedGroups, int steps, float finalLoss, double trainSeconds) implements AutoCloseable {

  /** Releases the ranker's native memory. */
  @Override
  public void close() {
    ranker.close();
  }
}
