package dev.languageranker.platform.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One typed configuration setting: its key, type, default and documentation. Every setting is declared once, in
 * {@link Settings}.
 */
public final class Setting<T> {
  private final String key;
  private final SettingType<T> type;
  private final String defaultValue;
  private final String doc;

  Setting(String key, SettingType<T> type, String defaultValue, String doc) {
    this.key = Objects.requireNonNull(key);
    this.type = Objects.requireNonNull(type);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.doc = Objects.requireNonNull(doc);
    type.parse(defaultValue); // a bad default is a programming error: fail at class load
  }

  public String key() {
    return key;
  }

  public SettingType<T> type() {
    return type;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** The environment variable that overrides this setting: LR_ and the key in upper case with dots as underscores. */
  public String environmentVariable() {
    return ConfigSources.environmentVariable(key);
  }

  T parse(String raw) {
    return type.parse(raw);
  }

  /** A value type with its parser and a name for error messages. */
  public record SettingType<T>(String name, String example, Function<String, T> parser) {
    T parse(String raw) {
      return parser.apply(raw.trim());
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
