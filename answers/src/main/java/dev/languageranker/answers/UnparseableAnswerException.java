package dev.languageranker.answers;

/** An answer that cannot be read as mathematics (or not within the time limit); the message is the reason. */
public final class UnparseableAnswerException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean limit;

  public UnparseableAnswerException(String reason) {
    this(reason, false);
  }

  private UnparseableAnswerException(String reason, boolean limit) {
    super(reason, null, false, false);
    this.limit = limit;
  }

  /** An answer beyond a limit (time, length, nesting): pathological, never compared as text either. */
  public static UnparseableAnswerException limit(String reason) {
    return new UnparseableAnswerException(reason, true);
  }

  /** Whether a limit was exceeded, rather than the answer being ill-formed. */
  public boolean limitExceeded() {
    return limit;
  }
}
