package dev.languageranker.generator.runtime;

/** A model directory this runtime cannot serve: a missing file, an unknown architecture or an unreadable tensor. */
public class UnsupportedModelException extends RuntimeException {
  public UnsupportedModelException(String message) {
    super(message);
  }

  public UnsupportedModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
