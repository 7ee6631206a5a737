package dev.languageranker.ranker.train;

import dev.languageranker.ranker.eval.EvaluationReport;
import dev.languageranker.ranker.inference.Ranker;

/**
 * What a run produced: the ranker (caller closes it), its held-out metrics and the run's size.
 *
 * @param trainingGroups groups the optimiser saw over all epochs
 * @param droppedGroups groups drawn but dropped for lacking a positive or a negative
 * @param steps optimisation steps run
 * @param finalLoss mean training loss over the last epoch run
 * @param epochsRun epochs run (fewer than configured when validation stopped the run)
 * @param bestEpoch the epoch (1-based) whose weights were kept: the best on validation, else the last
 * @param validationAccuracy the kept weights' top-1 accuracy on the validation groups with a right and a wrong
 *     candidate; NaN without a validation split
 * @param validationPrompts prompts of the training side used for validation, not for fitting
 */
public record TrainingResult(
    Ranker ranker, EvaluationReport holdout, TrainingConfig config, int trainingPrompts, int holdoutPrompts,
    int trainingGroups, int droppedGroups, int steps, float finalLoss, double trainSeconds,
    int epochsRun, int bestEpoch, double validationAccuracy, int validationPrompts) implements AutoCloseable {

  /** Releases the ranker's native memory. */
  @Override
  public void close() {
    ranker.close();
  }
}
