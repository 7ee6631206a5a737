package dev.languageranker.answers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalizes a final math answer as text, the way MATH graders do (Hendrycks et al.'s {@code strip_string}, extended),
 * with a canonical text key. {@link MathGrader} falls back to it for answers that are not mathematics it can parse
 * (base-n numerals such as {@code 1202_3}, ratios, {@code \overline{CD}}).
 */
public final class MathAnswerNormalizer {

  private static final String ROW_BREAK = "\u0001";
  private static final Pattern UNIT_SUFFIX = Pattern
      .compile("^(.*?[0-9}).])\\s*\\\\(?:text|mbox|mathrm)\\{\\s*[A-Za-z][A-Za-z .^0-9]*\\}$");
  private static final Pattern TEXT_WRAPPER = Pattern
      .compile("\\\\(?:text|textbf|mbox|mathrm|textnormal)\\{([^{}]*)\\}");
  private static final Pattern THOUSANDS = Pattern.compile("[+-]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?");
  private static final Pattern SIMPLE_LHS = Pattern.compile("[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?|\\\\[A-Za-z]+");
  private static final Pattern SQRT_SHORT = Pattern.compile("\\\\sqrt(\\w)");
  private static final Pattern FRAC_SHORT = Pattern.compile("\\\\frac(?:(\\d)|\\{([^{}]*)\\})(?:(\\d)|\\{([^{}]*)\\})");
  private static final Pattern INT_SLASH = Pattern.compile("([+-]?)(\\d+)/(\\d+)");

  /** The normalized answer string: units, spacing, LaTeX sizing and similar noise removed. */
  public String normalize(String answer) {
    String s = answer.strip();
    s = unwrapDollars(s);
    s = s.replace("\n", "").replace("\\!", "");
    // A matrix row break (two backslashes) must survive the removal of LaTeX spacing commands such as a backslash-space.
    s = s.replace("\\\\", ROW_BREAK);
    s = s.replace("\\tfrac", "\\frac").replace("\\dfrac", "\\frac");
    s = s.replace("\\left", "").replace("\\right", "").replace("\\displaystyle", "");
    s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("°", "").replace("\\circ", "");
    s = s.replace("\\$", "").replace("$", "");
    s = s.replace("\\%", "").replace("%", "");
    s = s.replace("{,}", "");
    s = s.replace("\\,", " ").replace("\\;", " ").replace("\\:", " ").replace("\\ ", " ").replace("~", " ");
    s = s.strip();
    Matcher unit = UNIT_SUFFIX.matcher(s);
    if (unit.matches() && !unit.group(1).isBlank()) {
      s = unit.group(1).strip();
    }
    s = unwrapText(s);
    s = s.replace("\\le ", "\\leq ").replace("\\ge ", "\\geq ").replace("\\infty", "\\infty");
    s = stripTrailingPeriods(s);
    s = s.replace(" .", " 0.").replace("{.", "{0.");
    if (s.startsWith(".")) {
      s = "0" + s;
    }
    s = dropVariableAssignment(s);
    s = SQRT_SHORT.matcher(s).replaceAll("\\\\sqrt{$1}");
    s = s.replace(" ", "");
    s = bracedFractions(s);
    if (THOUSANDS.matcher(s).matches()) {
      s = s.replace(",", "");
    }
    Matcher slash = INT_SLASH.matcher(s);
    if (slash.matches()) {
      s = slash.group(1) + "\\frac{" + slash.group(2) + "}{" + slash.group(3) + "}";
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    return s.replace(ROW_BREAK, "\\\\");
  }

  /**
   * The canonical key of an answer: exact rationals print as {@code p/q}, tuples and intervals keep their brackets
   * and order with canonical elements, bare lists are sorted (the order of several solutions does not matter).
   */
  public String key(String answer) {
    return canonical(normalize(answer));
  }

  private String canonical(String normalized) {
    if (normalized.length() >= 2 && "([".indexOf(normalized.charAt(0)) >= 0
        && ")]".indexOf(normalized.charAt(normalized.length() - 1)) >= 0) {
      List<String> parts = splitTopLevel(normalized.substring(1, normalized.length() - 1));
      if (parts.size() > 1) {
        List<String> keys = new ArrayList<>();
        for (String part : parts) {
          keys.add(canonicalElement(part));
        }
        return normalized.charAt(0) + String.join(",", keys) + normalized.charAt(normalized.length() - 1);
      }
    }
    List<String> parts = splitTopLevel(normalized);
    if (parts.size() > 1) {
      List<String> keys = new ArrayList<>();
      for (String part : parts) {
        keys.add(canonicalElement(part));
      }
      keys.sort(null);
      return String.join(",", keys);
    }
    return canonicalElement(normalized);
  }

  private String canonicalElement(String part) {
    String s = normalize(part);
    Optional<ExactRational> value = ExactRational.parse(s);
    return value.map(ExactRational::toString).orElse(s);
  }

  /** Splits on commas outside any brackets or braces. */
  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  private static String unwrapDollars(String s) {
    while (s.length() >= 2 && s.startsWith("$") && s.endsWith("$")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    return s;
  }

  private static String unwrapText(String s) {
    String previous;
    do {
      previous = s;
      s = TEXT_WRAPPER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    } while (!s.equals(previous));
    return s.strip();
  }

  private static String stripTrailingPeriods(String s) {
    while (s.endsWith(".") || s.endsWith("\\.")) {
      s = s.substring(0, s.length() - 1).strip();
      if (s.endsWith("\\")) {
        s = s.substring(0, s.length() - 1).strip();
      }
    }
    return s;
  }

  /** {@code x = 3} and {@code k=3} become {@code 3}: the grader wants the value, not the variable. */
  private static String dropVariableAssignment(String s) {
    int eq = s.indexOf('=');
    if (eq > 0 && eq == s.lastIndexOf('=') && SIMPLE_LHS.matcher(s.substring(0, eq).strip()).matches()) {
      return s.substring(eq + 1).strip();
    }
    return s;
  }

  /** {@code \frac12} and {@code \frac1{2}} become {@code \frac{1}{2}}. */
  private static String bracedFractions(String s) {
    return FRAC_SHORT.matcher(s).replaceAll(m -> {
      String top = m.group(1) != null ? m.group(1) : m.group(2);
      String bottom = m.group(3) != null ? m.group(3) : m.group(4);
      return Matcher.quoteReplacement("\\frac{" + top + "}{" + bottom + "}");
    });
  }
}
