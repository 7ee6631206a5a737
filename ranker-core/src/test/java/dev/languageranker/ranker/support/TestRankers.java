package dev.languageranker.ranker.support;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureEncoder;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Untrained rankers with seeded weights and random feature groups, for tests of plumbing rather than learning. */
public final class TestRankers {
  private TestRankers() {}

  public static Ranker untrained(RankerArchitecture architecture, int dim, int layer, long seed) {
    return untrained(RankerConfig.defaults(architecture, dim, layer), seed);
  }

  public static Ranker untrained(RankerConfig config, long seed) {
    RankerNetwork network = RankerNetwork.of(config);
    NDManager manager = NDManager.newBaseManager();
    return new Ranker(network, RankerWeights.initialize(manager, network.parameters(), seed), manager);
  }

  public static FeatureGroup randomGroup(int dim, int layer, int k, FeatureDtype dtype, SplittableRandom random) {
    List<byte[]> responses = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      responses.add(randomVector(dim, dtype, random));
    }
    return FeatureGroup.of(layer, dim, dtype, randomVector(dim, dtype, random), responses);
  }

  public static byte[] randomVector(int dim, FeatureDtype dtype, SplittableRandom random) {
    float[] values = new float[dim];
    for (int j = 0; j < dim; j++) {
      values[j] = (float) random.nextGaussian();
    }
    return FeatureEncoder.encode(values, dtype);
  }
}
