package dev.languageranker.ranker.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.bundle.BundleRefusedException.Reason;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.support.TestRankers;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranker.train.RankerTrainer;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingProgressListener;
import dev.languageranker.ranker.train.TrainingResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelBundleTest {
  private static final int DIM = 64;
  private static NDManager manager;
  private static TrainingResult trained;
  private static ModelBundle bundle;
  private static byte[] bytes;

  @BeforeAll
  static void trainSmallRanker() {
    manager = NDManager.newBaseManager();
    SyntheticFeatures features = SyntheticFeatures.of(40, 20, DIM, 3);
    try (TrainingSet set = features.build(manager)) {
      trained = new RankerTrainer().train(set, TrainingConfig.defaults().withBatching(32, 1, 4),
          TrainingProgressListener.NONE);
    }
    bundle = ModelBundle.of(trained, "math-en", 7, Instant.parse("2025-11-22T10:00:00Z"),
        Map.of("source", "synthetic"));
    bytes = bundle.toBytes();
  }

  @AfterAll
  static void release() {
    trained.ranker().close();
    manager.close();
  }

  @Test
  void aLoadedBundleScoresExactlyLikeTheRankerThatWasSaved() throws Exception {
    FeatureGroup group = TestRankers.randomGroup(DIM, trained.ranker().config().featureLayer(), 10,
        FeatureDtype.BFLOAT16, new SplittableRandom(1));
    try (Ranker loaded = BundleLoader.load(bytes,
        BundleExpectations.features(DIM, trained.ranker().config().featureLayer()))) {
      assertArrayEquals(trained.ranker().score(group), loaded.score(group));
      assertEquals(trained.ranker().config(), loaded.config());
    }
  }

  @Test
  void theManifestDescribesRankerDataAndMetrics() throws Exception {
    BundleManifest manifest = BundleLoader.read(bytes, BundleExpectations.any()).manifest();
    assertEquals("math-en", manifest.rankerId());
    assertEquals(7, manifest.version());
    assertEquals(RankerArchitecture.LISTWISE, manifest.architecture());
    assertEquals(DIM, manifest.featureDim());
    assertEquals(64, manifest.projectionDim());
    assertEquals(trained.ranker().weights().parameterCount(), manifest.parameterCount());
    assertEquals("2025-11-22T10:00:00Z", manifest.createdAt());
    assertEquals(Sha256.hex(bundle.weights()), manifest.weightsSha256());
    assertTrue(manifest.holdoutMetrics().containsKey("holdout_accuracy"));
    assertEquals("synthetic", manifest.trainingData().get("source"));
    assertEquals(trained.config().optimizer().name(), manifest.hyperparameters().get("optimizer"));
    assertEquals("last", manifest.pooling());
    assertEquals(trained.steps(), manifest.trainingData().get("steps"));
    assertTrue(manifest.trainingData().containsKey("finalLoss"));
    assertTrue(manifest.trainingData().containsKey("epochsRun"));
  }

  @Test
  void weightsChangedInsideAValidArchiveAreRefusedByTheChecksum() throws Exception {
    // given a bundle whose weights were altered and re-zipped (the zip itself is intact)
    byte[] weights = bundle.weights().clone();
    weights[weights.length - 3] ^= 0x01;
    byte[] tampered = rezip(bytes, BundleManifest.WEIGHTS_FILE, weights);

    BundleRefusedException e = assertThrows(BundleRefusedException.class,
        () -> BundleLoader.load(tampered, BundleExpectations.any()));
    assertEquals(Reason.CHECKSUM_MISMATCH, e.reason());
  }

  @Test
  void everySingleCorruptedByteIsRefused() {
    // given the bundle with one byte flipped at positions spread over the whole file
    int refused = 0;
    for (int position = 0; position < bytes.length; position += Math.max(1, bytes.length / 97)) {
      byte[] corrupt = bytes.clone();
      corrupt[position] ^= 0x5A;
      try (Ranker ranker = BundleLoader.load(corrupt, BundleExpectations.any())) {
        // A flip in zip bookkeeping that nothing reads (e.g. a timestamp) is harmless; the model must still be intact.
        assertArrayEquals(bundle.weights(), ranker.weights().toSafetensors(),
            "accepted a bundle with changed weights at byte " + position);
      } catch (BundleRefusedException e) {
        refused++;
      }
    }
    assertTrue(refused > 80, "only " + refused + " corruptions refused");
  }

  @Test
  void aBundleForAnotherFeatureDimOrLayerOrArchitectureIsRefusedWithTheReason() {
    int layer = trained.ranker().config().featureLayer();
    BundleRefusedException dim = assertThrows(BundleRefusedException.class,
        () -> BundleLoader.load(bytes, BundleExpectations.features(4096, layer)));
    assertEquals(Reason.FEATURE_DIM_MISMATCH, dim.reason());
    assertTrue(dim.getMessage().contains("dim 64, expected 4096"), dim.getMessage());
    BundleRefusedException wrongLayer = assertThrows(BundleRefusedException.class,
        () -> BundleLoader.load(bytes, BundleExpectations.features(DIM, layer + 1)));
    assertEquals(Reason.FEATURE_LAYER_MISMATCH, wrongLayer.reason());
    BundleRefusedException architecture = assertThrows(BundleRefusedException.class,
        () -> BundleLoader.load(bytes, new BundleExpectations(null, null, RankerArchitecture.POINTWISE)));
    assertEquals(Reason.ARCHITECTURE_MISMATCH, architecture.reason());
  }

  @Test
  void somethingThatIsNotABundleIsRefused() {
    assertEquals(Reason.NOT_A_BUNDLE, assertThrows(BundleRefusedException.class,
        () -> BundleLoader.load("hello".getBytes(), BundleExpectations.any())).reason());
  }

  private static byte[] rezip(byte[] original, String name, byte[] replacement) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(original));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        zip.putNextEntry(new ZipEntry(entry.getName()));
        zip.write(entry.getName().equals(name) ? replacement : in.readAllBytes());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
