package dev.languageranker.labeler.verify;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Python code of a response: between the {@code #START OF CODE} and {@code #END OF CODE} lines the code
 * prompt asks for, else the first fenced block, else the whole response (raw code, as in MBPP's references).
 */
public final class PythonCodeExtractor {

  private static final Pattern MARKED = Pattern.compile(
      "#\\s*START OF CODE[^\\n]*\\n(.*?)(?:\\n[ \\t]*#\\s*END OF CODE|\\z)", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final Pattern FENCED = Pattern.compile("```[ \\t]*(?:python3?|py)?[ \\t]*\\n(.*?)```",
      Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  /** The code with {@code \r\n} line ends made {@code \n}; empty when the response is blank. */
  public Optional<String> extract(String response) {
    if (response == null || response.isBlank()) {
      return Optional.empty();
    }
    String text = response.replace("\r\n", "\n");
    Matcher marked = MARKED.matcher(text);
    if (marked.find()) {
      return nonBlank(marked.group(1));
    }
    Matcher fenced = FENCED.matcher(text);
    if (fenced.find()) {
      return nonBlank(fenced.group(1));
    }
    return nonBlank(text);
  }

  private static Optional<String> nonBlank(String code) {
    return code.isBlank() ? Optional.empty() : Optional.of(code);
  }
}
