package dev.languageranker.cli.common;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations such as 500ms, 30s, 5m, 2h, 7d or PT30S on the command line. */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim();
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("d")) {
        return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.parse(v);
    } catch (RuntimeException e) {
      throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 30s, 5m)");
    }
  }
}
