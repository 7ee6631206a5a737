package dev.languageranker.ranking;

import dev.languageranker.events.Task;
import java.util.Optional;

/** Extracts a candidate's normalized final answer, so equal answers can be counted in a majority vote. */
@FunctionalInterface
public interface AnswerKeys {
  /** The answer key, or empty when the task has no extractor or none was found in the text. */
  Optional<String> keyOf(Task task, String text);
}
