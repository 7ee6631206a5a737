package dev.languageranker.answers;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer of a math response, and says where it found it: the last {@code \boxed{}} wins; else GSM8K's
 * {@code ####} line; else the last "the answer is ..." / "Answer: ..."; else the last display math ({@code \[...\]},
 * {@code $$...$$}); else the last inline math ({@code $...$}, {@code \(...\)}). Thread-safe.
 */
public final class FinalAnswerExtractor {

  /** Where the answer was found; the weak sources are used only when nothing is boxed. */
  public enum Source {
    BOXED("the last \\boxed{}", false), GSM8K("the #### line", false), ANSWER_PHRASE("an 'answer is' phrase",
        true), DISPLAY_MATH("the last display math", true), INLINE_MATH("the last inline math", true);

    private final String description;
    private final boolean weak;

    Source(String description, boolean weak) {
      this.description = description;
      this.weak = weak;
    }

    public String description() {
      return description;
    }

    /** Whether the writer did not mark the answer; prose found this way is no answer. */
    public boolean weak() {
      return weak;
    }
  }

  /**
   * A final answer and where it came from.
   *
   * @param text the answer as written
   * @param source where it was found
   * @param allBoxed every boxed answer of the response (several may together answer a compound question)
   */
  public record Extracted(String text, Source source, List<String> allBoxed) {}

  private static final Pattern ANSWER_PHRASE = Pattern.compile(
      "(?i)(?:final answer|the answer|answer)\\s*(?:is|:|=)\\s*:?\\s*(.+?)\\s*(?:\\.(?=\\s|$)|\\n|$)");
  private static final Pattern DISPLAY = Pattern.compile("\\\\\\[(.+?)\\\\\\]|\\$\\$(.+?)\\$\\$", Pattern.DOTALL);
  private static final Pattern INLINE = Pattern.compile("(?<![\\\\$])\\$([^$]+?)\\$|\\\\\\((.+?)\\\\\\)",
      Pattern.DOTALL);

  private final BoxedAnswerExtractor boxed = new BoxedAnswerExtractor();

  /** The final answer of {@code response}, or empty when it holds none. */
  public Optional<Extracted> extract(String response) {
    if (response == null || response.isBlank()) {
      return Optional.empty();
    }
    // The last complete box; an unbalanced last box (a truncated response) falls back to an earlier one.
    List<String> all = boxed.allBoxed(response);
    if (!all.isEmpty()) {
      return Optional.of(new Extracted(all.get(all.size() - 1), Source.BOXED, all));
    }
    Optional<String> gsm = boxed.gsm8kAnswer(response);
    if (gsm.isPresent()) {
      return Optional.of(new Extracted(gsm.get(), Source.GSM8K, all));
    }
    String phrase = last(ANSWER_PHRASE.matcher(response));
    if (phrase != null) {
      return Optional.of(new Extracted(phrase, Source.ANSWER_PHRASE, all));
    }
    String display = last(DISPLAY.matcher(response));
    if (display != null) {
      return Optional.of(new Extracted(display, Source.DISPLAY_MATH, all));
    }
    String inline = last(INLINE.matcher(response.replace("$$", "")));
    return inline == null ? Optional.empty() : Optional.of(new Extracted(inline, Source.INLINE_MATH, all));
  }

  private static String last(Matcher m) {
    String last = null;
    while (m.find()) {
      String g = m.group(1) != null ? m.group(1) : m.groupCount() > 1 ? m.group(2) : null;
      if (g != null && !g.isBlank()) {
        last = g.strip();
      }
    }
    return last;
  }
}
