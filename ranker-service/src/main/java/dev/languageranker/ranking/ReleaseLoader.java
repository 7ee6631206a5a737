package dev.languageranker.ranking;

import dev.languageranker.events.RankerArchitecture;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.ranker.bundle.BundleExpectations;
import dev.languageranker.ranker.bundle.BundleLoader;
import dev.languageranker.ranker.bundle.BundleRefusedException;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.side.CandidateSignals;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Turns a {@link RankerRelease} into a {@link LoadedRanker}, or refuses it with the reason: the bundle's SHA-256
 * must match the release, the bundle must load with the release's feature layer, dim and architecture, and a
 * smoke score on a sample group must give one finite score per candidate.
 */
public final class ReleaseLoader {
  /** Candidates in the smoke-test group. */
  static final int SMOKE_K = 4;

  /** A release that cannot serve, with a short reason code for metrics and a sentence for logs. */
  public static final class RefusedRelease extends Exception {
    private final String code;

    RefusedRelease(String code, String message, Throwable cause) {
      super(message, cause);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private ReleaseLoader() {}

  public static LoadedRanker load(RankerRelease release) throws RefusedRelease {
    byte[] bundle = bytes(release.getBundle());
    String actual = sha256(bundle);
    if (!actual.equalsIgnoreCase(release.getSha256())) {
      throw new RefusedRelease("checksum", "bundle SHA-256 is " + actual + ", the release says " + release.getSha256(),
          null);
    }
    Ranker ranker;
    try {
      ranker = BundleLoader.load(bundle, new BundleExpectations(release.getFeatureDim(), release.getFeatureLayer(),
          architecture(release.getArchitecture())));
    } catch (BundleRefusedException e) {
      throw new RefusedRelease(e.reason().name().toLowerCase(), e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RefusedRelease("architecture", e.getMessage(), e);
    }
    LoadedRanker loaded = new LoadedRanker(release.getRankerId(), release.getVersion(), release.getArchitecture(),
        release.getFeatureLayer(), release.getFeatureDim(), release.getMetrics(), ranker);
    try {
      smokeTest(loaded);
    } catch (RefusedRelease | RuntimeException e) {
      loaded.close();
      throw e instanceof RefusedRelease r ? r : new RefusedRelease("smoke-test", "smoke score failed: " + e, e);
    }
    return loaded;
  }

  /** Scores a fixed random group; a ranker that cannot give finite scores must not serve. */
  static void smokeTest(LoadedRanker ranker) throws RefusedRelease {
    Random random = new Random(ranker.featureDim());
    byte[] instruction = randomFloats(random, ranker.featureDim());
    List<byte[]> responses = new ArrayList<>();
    for (int i = 0; i < SMOKE_K; i++) {
      responses.add(randomFloats(random, ranker.featureDim()));
    }
    float[] logProbs = new float[SMOKE_K];
    int[] tokens = new int[SMOKE_K];
    for (int i = 0; i < SMOKE_K; i++) {
      logProbs[i] = (float) -random.nextDouble();
      tokens[i] = 1 + random.nextInt(100);
    }
    CandidateSignals signals = new CandidateSignals(new String[]{"1", "1", "2", null}, logProbs, tokens);
    List<float[]> scores = ranker.scoreBatch(List.of(FeatureGroup.of(ranker.featureLayer(), ranker.featureDim(),
        FeatureDtype.FLOAT32, instruction, responses)), ranker.usesSideFeatures() ? List.of(signals) : null);
    if (scores == null || scores.get(0).length != SMOKE_K) {
      throw new RefusedRelease("smoke-test", "smoke score gave " + (scores == null ? "nothing" : scores.get(0).length
          + " scores") + " for " + SMOKE_K + " candidates", null);
    }
    for (float s : scores.get(0)) {
      if (!Float.isFinite(s)) {
        throw new RefusedRelease("smoke-test", "smoke score is not finite: " + s, null);
      }
    }
  }

  static dev.languageranker.ranker.model.RankerArchitecture architecture(RankerArchitecture wire) {
    return switch (wire) {
      case LISTWISE -> dev.languageranker.ranker.model.RankerArchitecture.LISTWISE;
      case POINTWISE -> dev.languageranker.ranker.model.RankerArchitecture.POINTWISE;
      default -> throw new IllegalArgumentException("release has unknown architecture " + wire);
    };
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static byte[] randomFloats(Random random, int dim) {
    ByteBuffer b = ByteBuffer.allocate(dim * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < dim; i++) {
      b.putFloat((float) random.nextGaussian());
    }
    return b.array();
  }
}
