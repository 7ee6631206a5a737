package dev.languageranker.generator.demo;

/**
 * The demo model's size and training schedule; the defaults are what produced {@code models/demo}. The
 * learning-rate schedule spans {@code steps}; training stops after {@code stopAfterStep} (at most {@code steps}):
 * the demo model is deliberately left part-trained so that sampled answers are often, not always, right, which is
 * what makes it a test bed for ranking.
 */
public record DemoTrainingPlan(
    int steps, int stopAfterStep, int batchSize, double learningRate, long seed, int hiddenSize, int layers,
    int heads, int kvHeads, int intermediateSize, int merges, double mathShare) {

  public DemoTrainingPlan {
    if (steps < 1 || stopAfterStep < 1 || stopAfterStep > steps) {
      throw new IllegalArgumentException(
          "need 1 <= stop-after-step (" + stopAfterStep + ") <= steps (" + steps + ")");
    }
  }

  public static DemoTrainingPlan defaults() {
    return new DemoTrainingPlan(1600, 1200, 32, 2e-3, 7, 192, 4, 6, 2, 384, 400, 0.7);
  }

  /** A schedule of {@code newSteps}, run to the end. */
  public DemoTrainingPlan withSteps(int newSteps) {
    return new DemoTrainingPlan(newSteps, newSteps, batchSize, learningRate, seed, hiddenSize, layers, heads,
        kvHeads, intermediateSize, merges, mathShare);
  }

  public DemoTrainingPlan withStopAfterStep(int step) {
    return new DemoTrainingPlan(steps, step, batchSize, learningRate, seed, hiddenSize, layers, heads, kvHeads,
        intermediateSize, merges, mathShare);
  }

  public DemoTrainingPlan withSeed(long newSeed) {
    return new DemoTrainingPlan(steps, stopAfterStep, batchSize, learningRate, newSeed, hiddenSize, layers, heads,
        kvHeads, intermediateSize, merges, mathShare);
  }

  public DemoTrainingPlan withSize(int hidden, int layerCount, int headCount, int kvHeadCount, int intermediate) {
    return new DemoTrainingPlan(steps, stopAfterStep, batchSize, learningRate, seed, hidden, layerCount, headCount,
        kvHeadCount, intermediate, merges, mathShare);
  }

  /** With {@code count} BPE merges for the tokenizer (fewer builds faster; for quick runs). */
  public DemoTrainingPlan withMerges(int count) {
    return new DemoTrainingPlan(steps, stopAfterStep, batchSize, learningRate, seed, hiddenSize, layers, heads,
        kvHeads, intermediateSize, count, mathShare);
  }

  public DemoTrainingPlan withBatchSize(int size) {
    return new DemoTrainingPlan(steps, stopAfterStep, size, learningRate, seed, hiddenSize, layers, heads, kvHeads,
        intermediateSize, merges, mathShare);
  }
}
