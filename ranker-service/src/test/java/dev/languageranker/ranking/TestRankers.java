package dev.languageranker.ranking;

import ai.djl.ndarray.NDManager;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.ranker.bundle.ModelBundle;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.side.SideFeature;
import java.time.Instant;
import java.util.Map;

/** Real ranker releases with seeded random weights, for tests. */
final class TestRankers {
  private TestRankers() {}

  static RankerRelease release(String rankerId, long version, int dim, int layer, long seed) {
    RankerConfig config = RankerConfig.defaults(RankerArchitecture.LISTWISE, dim, layer);
    try (NDManager manager = NDManager.newBaseManager()) {
      RankerWeights weights = RankerWeights.initialize(manager, RankerNetwork.of(config).parameters(), seed);
      ModelBundle bundle = ModelBundle.of(config, weights, rankerId, version, Map.of(), Map.of("groups", 10),
          Map.of("holdout_accuracy", 0.5 + version / 100.0), Instant.parse("2026-11-22T10:00:00Z"));
      return RankerReleases.of(bundle, "demo", version > 1 ? version - 1 : null, Instant.now());
    }
  }

  /**
   * A side-feature-only release that scores 5 x vote share + 0.1 x standardized mean log-prob: majority vote, ties to
   * the more confident candidate.
   */
  static RankerRelease sideFeatureRelease(String rankerId, long version, int dim, int layer) {
    RankerConfig config = RankerConfig.defaults(RankerArchitecture.LISTWISE, dim, layer)
        .withSideFeatures(java.util.List.of(SideFeature.VOTE_SHARE, SideFeature.LOGPROB_Z)).withHiddenStates(false);
    try (NDManager manager = NDManager.newBaseManager()) {
      RankerWeights weights = RankerWeights.initialize(manager, RankerNetwork.of(config).parameters(), 1);
      weights.get(RankerNetwork.SIDE_SCORE_WEIGHT).set(new float[]{5f, 0.1f});
      ModelBundle bundle = ModelBundle.of(config, weights, rankerId, version, Map.of(), Map.of("groups", 10),
          Map.of("holdout_accuracy", 0.6), Instant.parse("2026-11-30T10:00:00Z"));
      return RankerReleases.of(bundle, "demo", null, Instant.now());
    }
  }

  static LoadedRanker loaded(String rankerId, long version, int dim, int layer, long seed) throws Exception {
    return ReleaseLoader.load(release(rankerId, version, dim, layer, seed));
  }
}
