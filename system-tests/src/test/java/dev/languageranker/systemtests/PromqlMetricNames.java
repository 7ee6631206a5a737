package dev.languageranker.systemtests;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. Written by hand because Prometheus 2.42 has no endpoint that returns
 * a query's syntax tree; the expressions checked are ours, and Prometheus itself parses each one as well.
 */
final class PromqlMetricNames {
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LISTS = Pattern
      .compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

  private PromqlMetricNames() {}

  static Set<String> of(String expression) {
    String e = STRINGS.matcher(expression).replaceAll(" ");
    e = MATCHERS.matcher(e).replaceAll(" ");
    e = RANGES.matcher(e).replaceAll(" ");
    e = LABEL_LISTS.matcher(e).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(e);
    while (m.find()) {
      String name = m.group();
      boolean call = e.substring(m.end()).stripLeading().startsWith("(");
      boolean inNumber = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
      if (!call && !inNumber && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }
}
