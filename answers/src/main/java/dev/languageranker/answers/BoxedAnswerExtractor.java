package dev.languageranker.answers;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the final answer of a worked math solution: the last {@code \boxed{...}} or {@code \fbox{...}}, else GSM8K's {@code #### n}. */
public final class BoxedAnswerExtractor {

  private static final Pattern BOX_COMMAND = Pattern.compile("\\\\(?:boxed|fbox)(?![A-Za-z])");
  private static final Pattern GSM8K_ANSWER = Pattern.compile("####\\s*([^\\n]+)");

  /** The last boxed answer, or the last {@code ####} answer when nothing is boxed; empty when neither is present. */
  public Optional<String> extract(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Optional<String> boxed = lastBoxed(text);
    return boxed.isPresent() ? boxed : gsm8kAnswer(text);
  }

  /** Every complete boxed answer, in order of appearance. */
  public java.util.List<String> allBoxed(String text) {
    java.util.List<String> all = new java.util.ArrayList<>();
    if (text == null) {
      return all;
    }
    Matcher box = BOX_COMMAND.matcher(text);
    while (box.find()) {
      argumentAt(text, box.end()).ifPresent(all::add);
    }
    return all;
  }

  /** The last {@code ####} answer. */
  public Optional<String> gsm8kAnswer(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher gsm = GSM8K_ANSWER.matcher(text);
    String last = null;
    while (gsm.find()) {
      last = gsm.group(1).trim();
    }
    return last == null || last.isEmpty() ? Optional.empty() : Optional.of(last);
  }

  private static Optional<String> lastBoxed(String text) {
    Matcher box = BOX_COMMAND.matcher(text);
    // Scan from the last command backwards: an unbalanced last box (a truncated response) falls back to an earlier one.
    java.util.List<Integer> ends = new java.util.ArrayList<>();
    while (box.find()) {
      ends.add(box.end());
    }
    for (int i = ends.size() - 1; i >= 0; i--) {
      Optional<String> content = argumentAt(text, ends.get(i));
      if (content.isPresent()) {
        return content;
      }
    }
    return Optional.empty();
  }

  /** The brace-balanced argument starting at {@code from}, or the {@code \boxed 5} form (up to whitespace or {@code $}). */
  private static Optional<String> argumentAt(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i >= text.length()) {
      return Optional.empty();
    }
    if (text.charAt(i) != '{') {
      if (i == from) {
        return Optional.empty();
      }
      int end = i;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
        end++;
      }
      String bare = text.substring(i, end).trim();
      return bare.isEmpty() ? Optional.empty() : Optional.of(bare);
    }
    int depth = 0;
    for (int j = i; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c == '\\' && j + 1 < text.length()) {
        j++; // an escaped brace (\{ or \}) does not open or close the argument
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          String content = text.substring(i + 1, j).trim();
          return content.isEmpty() ? Optional.empty() : Optional.of(content);
        }
      }
    }
    return Optional.empty();
  }
}
