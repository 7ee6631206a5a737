package dev.languageranker.answers;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * Extracts a response's normalized final answer, the key majority vote counts: for math the canonical form of the
 * final answer ({@link MathGrader#key}: exact numbers as {@code p/q}, expressions by their values), for function
 * calling the canonical JSON of the calls. The labeler's verifiers use the same keys. Thread-safe.
 */
public final class AnswerKeyExtractor {
  private final MathGrader math;
  private final FunctionCallParser calls;
  private final CanonicalCalls canonical;

  public AnswerKeyExtractor() {
    this(new MathGrader());
  }

  /** Keys math answers with {@code math}, the grader the labeler verifies with. */
  public AnswerKeyExtractor(MathGrader math) {
    this.math = math;
    ObjectMapper mapper = new ObjectMapper();
    this.calls = new FunctionCallParser(mapper);
    this.canonical = new CanonicalCalls(mapper);
  }

  /**
   * The key a task's candidates are voted on by, everywhere (ranker service, labeler, trainer), so side features mean
   * the same in training and serving.
   *
   * @param task the task's name as in the events' {@code Task} enum ({@code MATH}, {@code FUNCTION_CALL}, ...)
   * @return empty for tasks without an extractor (code, general instructions) or when none is found in the text
   */
  public Optional<String> keyOf(String task, String response) {
    return switch (task) {
      case "MATH" -> mathKey(response);
      case "FUNCTION_CALL" -> functionCallKey(response);
      default -> Optional.empty();
    };
  }

  /** The math answer key of {@code response}, or empty when it has no final answer. */
  public Optional<String> mathKey(String response) {
    return math.key(response);
  }

  /** The canonical calls of {@code response}, or empty when it holds no parseable call list. */
  public Optional<String> functionCallKey(String response) {
    return calls.parse(response).filter(list -> !list.isEmpty()).map(canonical::keyOf);
  }
}
