package dev.languageranker.ranker.train;

/** How the learning rate moves over the run. */
public enum LearningRateSchedule {
  CONSTANT,
  /** Cosine decay from the base rate to zero over all steps. */
  COSINE
}
