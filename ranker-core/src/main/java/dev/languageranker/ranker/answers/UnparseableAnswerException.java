package dev.languageranker.ranker.answers;

/** An answer that cannot be read as mathematics (or not within the time limit); the message is the reason. */
public final class UnparseableAnswerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnparseableAnswerException(String reason) {
    super(reason, null, false, false);
  }
}
