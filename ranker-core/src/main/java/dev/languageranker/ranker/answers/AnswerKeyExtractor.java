package dev.languageranker.ranker.answers;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * Extracts a response's normalized final answer, the key majority vote counts: for math the last boxed (or
 * {@code ####}) answer in the MATH graders' normal form, for function calling the canonical JSON of the calls. The
 * labeler's verifiers use the same keys, so a vote and a verdict never disagree on what is equal. Thread-safe.
 */
public final class AnswerKeyExtractor {
  private final BoxedAnswerExtractor boxed = new BoxedAnswerExtractor();
  private final MathAnswerNormalizer normalizer = new MathAnswerNormalizer();
  private final FunctionCallParser calls;
  private final CanonicalCalls canonical;

  public AnswerKeyExtractor() {
    ObjectMapper mapper = new ObjectMapper();
    this.calls = new FunctionCallParser(mapper);
    this.canonical = new CanonicalCalls(mapper);
  }

  /** The math answer key of {@code response}, or empty when it has no final answer. */
  public Optional<String> mathKey(String response) {
    return boxed.extract(response).map(normalizer::key).filter(k -> !k.isEmpty());
  }

  /** The canonical calls of {@code response}, or empty when it holds no parseable call list. */
  public Optional<String> functionCallKey(String response) {
    return calls.parse(response).filter(list -> !list.isEmpty()).map(canonical::keyOf);
  }
}
