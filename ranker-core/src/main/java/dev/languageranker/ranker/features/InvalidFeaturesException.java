package dev.languageranker.ranker.features;

/** Features that cannot be ranked: wrong size, wrong layer or dimension, NaN or infinite values. */
public final class InvalidFeaturesException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidFeaturesException(String message) {
    super(message);
  }
}
