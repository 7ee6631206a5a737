package dev.languageranker.trainer;

import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.train.InitialWeights;
import dev.languageranker.ranker.train.TrainingConfig;
import java.util.Optional;

/**
 * Where a challenger's training starts: the champion's weights (warm start) or fresh seeded weights, and why, for the
 * run report.
 *
 * @param initial the champion's weights, or null for a fresh start
 * @param description what was decided and why, e.g. "trained fresh: the champion is the fallback strategy"
 */
record ChallengerStart(InitialWeights initial, String description) {

  boolean warm() {
    return initial != null;
  }

  /**
   * Warm when {@code warmStart} is on and the champion is a ranker of the challenger's shape; otherwise fresh, with the
   * reason.
   *
   * @param champion the loaded champion ranker, or null when the champion is the fallback strategy
   * @param championVersion its version, when there is one
   */
  static ChallengerStart choose(boolean warmStart, Ranker champion, Optional<Long> championVersion,
      TrainingConfig config,
      TrainingSet set) {
    if (!warmStart) {
      return new ChallengerStart(null, "trained fresh (trainer.warm-start is off)");
    }
    if (champion == null) {
      return new ChallengerStart(null, "trained fresh: the champion is the fallback strategy, it has no weights");
    }
    String version = championVersion.map(v -> "version " + v).orElse("the champion");
    InitialWeights initial = InitialWeights.of(champion);
    Optional<String> refusal = initial.refusal(config.rankerConfig(set.dim(), set.layer()), set.pooling());
    return refusal
        .map(why -> new ChallengerStart(null,
            "trained fresh: the champion (" + version + ") does not fit the challenger: " + why))
        .orElseGet(() -> new ChallengerStart(initial, "warm-started from the champion's weights (" + version + ")"));
  }
}
