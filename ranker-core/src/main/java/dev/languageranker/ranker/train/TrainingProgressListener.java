package dev.languageranker.ranker.train;

/** Called after every optimisation step, on the training thread; keep it cheap. */
@FunctionalInterface
public interface TrainingProgressListener {

  TrainingProgressListener NONE = (step, totalSteps, loss, learningRate) -> {};

  void onStep(int step, int totalSteps, float loss, float learningRate);
}
