package dev.languageranker.ranking;

import dev.languageranker.events.Task;
import dev.languageranker.answers.AnswerKeyExtractor;
import java.util.Optional;

/** Answer keys by task: math and function calls have extractors; code and general instructions do not. */
public final class TaskAnswerKeys implements AnswerKeys {
  private final AnswerKeyExtractor extractor = new AnswerKeyExtractor();

  @Override
  public Optional<String> keyOf(Task task, String text) {
    return extractor.keyOf(task.name(), text);
  }
}
