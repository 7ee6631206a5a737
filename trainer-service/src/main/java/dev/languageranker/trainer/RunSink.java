package dev.languageranker.trainer;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.TrainingRun;

/** Where a run's results go: the release to {@code lr.ranker-models}, the audit record to {@code lr.training-runs}. */
interface RunSink {
  /** Publishes the release and returns once the broker has it. */
  void publish(RankerRelease release) throws Exception;

  void audit(TrainingRun run) throws Exception;
}
