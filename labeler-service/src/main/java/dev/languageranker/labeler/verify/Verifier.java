package dev.languageranker.labeler.verify;

/**
 * Judges one model response against a reference; implementations are thread-safe and never throw for bad
 * responses (a response that cannot be judged is a verdict, not an exception).
 *
 * @param <R> what the verifier needs to know about the expected answer
 */
public interface Verifier<R> {

  /** Verifies {@code response} against {@code reference}. */
  Verification verify(String response, R reference);
}
