package dev.languageranker.generator.demo;

/** The demo model's size and training schedule; the defaults are what produced {@code models/demo}. */
public record DemoTrainingPlan(
    int steps, int batchSize, double learningRate, long seed, int hiddenSize, int layers, int heads, int kvHeads,
    int intermediateSize, int merges, double mathShare) {

  public static DemoTrainingPlan defaults() {
    return new DemoTrainingPlan(1600, 32, 2e-3, 7, 192, 4, 6, 2, 384, 400, 0.7);
  }

  public DemoTrainingPlan withSteps(int newSteps) {
    return new DemoTrainingPlan(newSteps, batchSize, learningRate, seed, hiddenSize, layers, heads, kvHeads,
        intermediateSize, merges, mathShare);
  }

  public DemoTrainingPlan withSeed(long newSeed) {
    return new DemoTrainingPlan(steps, batchSize, learningRate, newSeed, hiddenSize, layers, heads, kvHeads,
        intermediateSize, merges, mathShare);
  }

  public DemoTrainingPlan withSize(int hidden, int layerCount, int headCount, int kvHeadCount, int intermediate) {
    return new DemoTrainingPlan(steps, batchSize, learningRate, seed, hidden, layerCount, headCount, kvHeadCount,
        intermediate, merges, mathShare);
  }

  public DemoTrainingPlan withBatchSize(int size) {
    return new DemoTrainingPlan(steps, size, learningRate, seed, hiddenSize, layers, heads, kvHeads,
        intermediateSize, merges, mathShare);
  }
}
