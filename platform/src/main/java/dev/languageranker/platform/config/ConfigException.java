package dev.languageranker.platform.config;

/** Configuration that cannot be used: an unknown key, a value of the wrong type, an unreadable file. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
