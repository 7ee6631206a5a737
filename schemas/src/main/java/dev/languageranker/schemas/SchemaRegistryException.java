package dev.languageranker.schemas;

/** A Schema Registry call failed: carries the HTTP status and Confluent's error code when the registry sent one. */
public final class SchemaRegistryException extends RuntimeException {
  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** HTTP status, or -1 when the registry could not be reached. */
  public int status() {
    return status;
  }

  /** Confluent error code such as 40401 (subject not found) or 409 (incompatible), or -1. */
  public int errorCode() {
    return errorCode;
  }
}
