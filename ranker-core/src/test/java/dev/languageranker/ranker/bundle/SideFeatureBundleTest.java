package dev.languageranker.ranker.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.bundle.BundleRefusedException.Reason;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.side.CandidateSignals;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.support.TestRankers;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranker.train.RankerTrainer;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingProgressListener;
import dev.languageranker.ranker.train.TrainingResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A side-feature ranker's bundle carries its side features, their training statistics and its pooling. */
class SideFeatureBundleTest {
  private static final int DIM = 32;
  private static NDManager manager;
  private static TrainingResult trained;
  private static byte[] bytes;

  @BeforeAll
  static void train() {
    manager = NDManager.newBaseManager();
    TrainingSet set = SyntheticFeatures.of(60, 12, DIM, 3).build(manager);
    TrainingConfig config = TrainingConfig.defaults().withSideFeatures(List.of(SideFeature.values())).withBatching(32,
        3, 2);
    trained = new RankerTrainer().train(set, config, TrainingProgressListener.NONE);
    bytes = ModelBundle.of(trained, "math-side", 1, Instant.parse("2026-11-30T06:00:00Z"), Map.of()).toBytes();
  }

  @AfterAll
  static void release() {
    trained.close();
    manager.close();
  }

  private static CandidateSignals signals() {
    return new CandidateSignals(new String[]{"4", "4", "7", null, "4", "9"},
        new float[]{-0.5f, -0.7f, -1.2f, -2f, -0.4f, -0.9f},
        new int[]{20, 25, 40, 96, 18, 30});
  }

  @Test
  void theManifestRecordsSideFeaturesTheirStatisticsAndThePooling() throws Exception {
    BundleManifest manifest = BundleLoader.read(bytes, BundleExpectations.any()).manifest();
    assertEquals(List.of("vote_share", "logprob_z", "length_z"), manifest.sideFeatures());
    assertEquals(3, manifest.sideFeatureMeans().length);
    assertTrue(manifest.sideFeatureStds()[0] > 0);
    assertEquals("last", manifest.pooling());
    assertTrue(manifest.trainingData().containsKey("steps") && manifest.trainingData().containsKey("finalLoss"));
  }

  @Test
  void theLoadedRankerScoresWithSignalsExactlyAsTheTrainedOne() throws Exception {
    FeatureGroup group = TestRankers.randomGroup(DIM, trained.ranker().config().featureLayer(), 6, FeatureDtype.FLOAT32,
        new SplittableRandom(2));
    try (Ranker loaded = BundleLoader.load(bytes,
        BundleExpectations.features(DIM, trained.ranker().config().featureLayer(), FeaturePooling.LAST))) {
      assertTrue(loaded.usesSideFeatures());
      assertArrayEquals(trained.ranker().score(group, signals()), loaded.score(group, signals()));
      // Scoring without the group's signals is refused rather than guessed.
      assertThrows(IllegalArgumentException.class, () -> loaded.score(group));
      // The side features change the scores: a different vote changes them.
      CandidateSignals other = new CandidateSignals(new String[]{"1", "2", "3", "4", "5", "6"},
          signals().logProbMeans(), signals().tokenCounts());
      assertFalse(java.util.Arrays.equals(loaded.score(group, signals()), loaded.score(group, other)));
    }
  }

  @Test
  void aBundleOfAnotherPoolingIsRefusedLikeAnotherLayer() {
    BundleRefusedException e = assertThrows(BundleRefusedException.class,
        () -> BundleLoader.load(bytes,
            BundleExpectations.features(DIM, trained.ranker().config().featureLayer(), FeaturePooling.MEAN)));
    assertEquals(Reason.FEATURE_POOLING_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("last-pooled"), e.getMessage());
  }
}
