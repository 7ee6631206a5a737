package dev.languageranker.answers;

import dev.languageranker.answers.FinalAnswerExtractor.Extracted;
import dev.languageranker.answers.MathAnswer.Bracketed;
import dev.languageranker.answers.MathAnswer.Collection;
import dev.languageranker.answers.MathAnswer.Scalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grades a math response against a reference answer: extracts the final answer ({@link FinalAnswerExtractor}),
 * parses both ({@link LatexAnswerParser}), compares them ({@link MathEquivalence}) within a time limit, and gives the
 * answer's majority-vote key. The labeler's math verifier and the ranker's majority vote both use it, so a vote and a
 * verdict agree on what is equal. Thread-safe.
 */
public final class MathGrader {

  /** The default relative tolerance for numbers written with a decimal point. */
  public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-6;
  /** The default time limit of one grade, in CPU time of the grading thread (a cold JVM takes about 80 ms for its first). */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(1);

  /** The most CPU time one answer key may take. */
  public static final Duration KEY_TIME_LIMIT = Duration.ofMillis(100);

  private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d+,(?:\\d{1,2}|\\d{4,})");
  private static final int SHOWN = 80;
  /** Inline math inside a box of prose: {@code \boxed{The result is \( 14 \)}}. */
  private static final Pattern INLINE_MATH = Pattern.compile("(?<!\\\\)\\$([^$]+?)(?<!\\\\)\\$|\\\\\\((.+?)\\\\\\)",
      Pattern.DOTALL);
  /** A word of prose: two or more letters not part of a LaTeX command. */
  private static final Pattern PROSE_WORD = Pattern.compile("(?<![\\\\A-Za-z])[A-Za-z]{2,}");
  /** A leading {@code \text{...}} of at least two words: {@code \text{The answer is } 7}. */
  private static final Pattern LEADING_TEXT = Pattern
      .compile("\\s*\\\\text\\{\\s*[A-Za-z]+(?:\\s+[A-Za-z]+)+[\\s:,]*\\}\\s*(.*\\S.*)", Pattern.DOTALL);
  /** Questions that fix the order of a list answer. */
  private static final Pattern ORDER_FIXED = Pattern.compile("(?i)\\b(?:in (?:that|this|the same|the given|"
      + "increasing|decreasing|ascending|descending|alphabetical) order|in order|respectively|ordered (?:pair|triple|"
      + "tuple|quadruple|list)|from (?:least|smallest|lowest) to (?:greatest|largest|highest)|from (?:greatest|largest|"
      + "highest) to (?:least|smallest|lowest))\\b");

  /** How a response compares with the reference. */
  public enum Outcome { EQUAL, DIFFERENT, UNPARSEABLE }

  /**
   * The result of grading.
   *
   * @param outcome equal, different, or no answer that can be judged
   * @param key the response's answer key for majority vote; null when it has no answer
   * @param detail the extracted answer, where it came from, and the rule that decided
   */
  public record Grade(Outcome outcome, String key, String detail) {}

  private final FinalAnswerExtractor extractor = new FinalAnswerExtractor();
  private final BoxedAnswerExtractor boxed = new BoxedAnswerExtractor();
  private final MathAnswerNormalizer normalizer = new MathAnswerNormalizer();
  private final LatexAnswerParser parser = new LatexAnswerParser();
  private final MathEquivalence equivalence;
  private final Duration timeLimit;

  /** A grader with the default tolerance and time limit. */
  public MathGrader() {
    this(DEFAULT_RELATIVE_TOLERANCE, DEFAULT_TIME_LIMIT);
  }

  public MathGrader(double relativeTolerance, Duration timeLimit) {
    this(relativeTolerance, timeLimit, true);
  }

  /**
   * A grader with {@code relativeTolerance} for decimals, {@code timeLimit} per grade, and with {@code roundedDecimals}
   * a decimal equal to an exact value it rounds at its shown digits ({@code 0.67} = {@code 2/3}).
   */
  public MathGrader(double relativeTolerance, Duration timeLimit, boolean roundedDecimals) {
    if (timeLimit.isNegative() || timeLimit.isZero()) {
      throw new IllegalArgumentException("time limit must be positive, was " + timeLimit);
    }
    this.equivalence = new MathEquivalence(relativeTolerance, roundedDecimals);
    this.timeLimit = timeLimit;
  }

  /** Grades {@code response} against {@code reference} (an answer, or a worked solution with a boxed answer). */
  public Grade grade(String response, String reference) {
    return grade(response, reference, null);
  }

  /**
   * As {@link #grade(String, String)}, with the question (may be null) deciding whether a bare list in the reference
   * is ordered: it is when the question fixes the order ("in increasing order", "respectively"), else it is a set.
   */
  public Grade grade(String response, String reference, String question) {
    Deadline deadline = Deadline.after(timeLimit);
    Optional<Extracted> found = extract(response);
    if (found.isEmpty()) {
      return new Grade(Outcome.UNPARSEABLE, null,
          "no final answer: no \\boxed{}, ####, 'answer is' phrase or math in the response");
    }
    Extracted extracted = found.get();
    String where = "answer '" + shown(extracted.text()) + "' (" + extracted.source().description() + ")";
    try {
      boolean ordered = question != null && ORDER_FIXED.matcher(question).find();
      return compare(extracted, boxed.extract(reference).orElse(reference), where, ordered, deadline);
    } catch (UnparseableAnswerException e) {
      return new Grade(Outcome.UNPARSEABLE, null, where + ": " + e.getMessage());
    } catch (StackOverflowError e) {
      return new Grade(Outcome.UNPARSEABLE, null, where + ": nested too deeply");
    }
  }

  /**
   * The majority-vote key of {@code response}'s final answer, or empty when it has none. Keys are computed on the
   * ranker's path for every candidate, so they get at most {@link #KEY_TIME_LIMIT}; past it the answer is keyed by its
   * normalized text.
   */
  public Optional<String> key(String response) {
    Optional<Extracted> found = extract(response);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Extracted extracted = found.get();
    Deadline deadline = Deadline.after(timeLimit.compareTo(KEY_TIME_LIMIT) < 0 ? timeLimit : KEY_TIME_LIMIT);
    try {
      MathAnswer answer = parser.parse(extracted.text(), deadline);
      if (extracted.source().weak() && answer instanceof MathAnswer.Text) {
        return Optional.empty(); // prose, as the grader judges it
      }
      return Optional.of(MathAnswerKeys.key(answer, deadline));
    } catch (UnparseableAnswerException | StackOverflowError e) {
      if (extracted.source().weak()) {
        return Optional.empty();
      }
      String key = normalizer.key(extracted.text());
      return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
  }

  /** The final answer, with the mathematics taken out of a box of prose. */
  private Optional<Extracted> extract(String response) {
    Optional<Extracted> found = extractor.extract(response);
    if (found.isEmpty() || found.get().source() != FinalAnswerExtractor.Source.BOXED) {
      return found;
    }
    String math = mathOfProse(found.get().text());
    return math == null ? found : Optional.of(new Extracted(math, found.get().source(), found.get().allBoxed()));
  }

  /**
   * The mathematics of a box that holds a sentence: its inline math ({@code So $y \leq -1$ holds.}), or what follows a
   * leading {@code \text{}} of words ({@code \text{The answer is } 7}); null when the box is not prose.
   */
  static String mathOfProse(String box) {
    Matcher text = LEADING_TEXT.matcher(box);
    if (text.matches()) {
      return text.group(1).strip();
    }
    if (box.indexOf('$') < 0 && !box.contains("\\(")) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    Matcher m = INLINE_MATH.matcher(box);
    StringBuilder outside = new StringBuilder();
    int end = 0;
    while (m.find()) {
      parts.add((m.group(1) != null ? m.group(1) : m.group(2)).strip());
      outside.append(box, end, m.start()).append(' ');
      end = m.end();
    }
    outside.append(box.substring(end));
    // Only words around the math make it prose; "x = $5$" or "$12$ cm" are read as they are.
    if (parts.isEmpty() || !PROSE_WORD.matcher(outside).find()) {
      return null;
    }
    return String.join(", ", parts);
  }

  private Grade compare(Extracted extracted, String expected, String where, boolean ordered, Deadline deadline) {
    String text = extracted.text();
    ParseResult candidate = parse(text, deadline);
    if (extracted.source().weak() && (candidate.answer() == null || candidate.answer() instanceof MathAnswer.Text)) {
      return new Grade(Outcome.UNPARSEABLE, null, where + " is not a math answer: "
          + (candidate.answer() == null ? candidate.reason() : "only words"));
    }
    String key = candidate.answer() != null ? MathAnswerKeys.key(candidate.answer(), deadline) : normalizer.key(text);
    if (key.isEmpty()) {
      return new Grade(Outcome.UNPARSEABLE, null, where + " is empty after normalization");
    }
    if (text.strip().equals(expected.strip())) {
      return new Grade(Outcome.EQUAL, key, where + ": string: identical to the reference");
    }
    ParseResult reference = parse(expected, deadline);
    if (ordered && reference.answer() instanceof Collection list && !list.braces() && list.items().size() > 1) {
      // The question fixes the order: the bare list is a tuple (its elements in order), not a set.
      reference = new ParseResult(new Bracketed('(', list.items(), ')'), null);
    }
    if (candidate.answer() == null || reference.answer() == null) {
      // Not mathematics on one side: the MATH graders' string normalization decides, as before this parser existed.
      boolean same = normalizer.key(text).equals(normalizer.key(expected));
      String why = candidate.answer() == null ? "answer not parsed (" + candidate.reason() + ")"
          : "reference not parsed (" + reference.reason() + ")";
      return new Grade(same ? Outcome.EQUAL : Outcome.DIFFERENT, key,
          where + ": " + why + "; text: normalized " + (same ? "equals" : "differs from") + " '"
              + shown(normalizer.key(expected)) + "'");
    }
    String rule = equivalence.match(candidate.answer(), reference.answer(), deadline);
    if (rule == null && DECIMAL_COMMA.matcher(text.strip()).matches() && reference.answer() instanceof Scalar) {
      ParseResult decimal = parse(text.strip().replace(',', '.'), deadline);
      String r = decimal.answer() == null ? null : equivalence.match(decimal.answer(), reference.answer(), deadline);
      rule = r == null ? null
          : "decimal comma: " + text.strip() + " read as " + text.strip().replace(',', '.') + "; " + r;
    }
    if (rule == null) {
      rule = severalBoxed(extracted, reference.answer(), deadline);
    }
    if (rule == null && (candidate.answer() instanceof MathAnswer.Text || reference.answer() instanceof MathAnswer.Text)
        && MathEquivalence.words(normalizer.key(text)).equals(MathEquivalence.words(normalizer.key(expected)))) {
      rule = "text: same words after normalization"; // "no" read as the product n*o against \text{no}
    }
    if (rule != null) {
      return new Grade(Outcome.EQUAL, key, where + ": " + rule);
    }
    return new Grade(Outcome.DIFFERENT, key,
        where + " (key " + shown(key) + ") differs from the reference '" + shown(expected) + "'");
  }

  /** A response that boxes each part of a compound answer ({@code \boxed{2}} and {@code \boxed{5}} for {@code 2, 5}). */
  private String severalBoxed(Extracted extracted, MathAnswer reference, Deadline deadline) {
    int parts = reference instanceof Collection c ? c.items().size()
        : reference instanceof Bracketed b ? b.items().size() : 0;
    List<String> all = extracted.allBoxed();
    if (parts < 2 || all.size() < parts) {
      return null;
    }
    List<MathAnswer> items = new ArrayList<>();
    for (String box : all.subList(all.size() - parts, all.size())) {
      ParseResult item = parse(box, deadline);
      if (item.answer() == null) {
        return null;
      }
      items.add(item.answer());
    }
    String rule = equivalence.match(new Collection(items, false), reference, deadline);
    return rule == null ? null : "the last " + parts + " boxed answers taken together; " + rule;
  }

  private record ParseResult(MathAnswer answer, String reason) {}

  private ParseResult parse(String text, Deadline deadline) {
    try {
      return new ParseResult(parser.parse(text, deadline), null);
    } catch (UnparseableAnswerException e) {
      if (e.limitExceeded()) {
        throw e;
      }
      return new ParseResult(null, e.getMessage());
    }
  }

  private static String shown(String text) {
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
  }
}
