package dev.languageranker.generator;

/** A prompt the generator cannot serve (empty, K out of range, too long, unknown task); its message is the reason. */
public final class UnservablePromptException extends RuntimeException {
  public UnservablePromptException(String reason) {
    super(reason);
  }

  public UnservablePromptException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
