package dev.languageranker.benchmarks;

import dev.languageranker.ranker.bundle.BundleExpectations;
import dev.languageranker.ranker.bundle.BundleLoader;
import dev.languageranker.ranker.bundle.ModelBundle;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureEncoder;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import ai.djl.ndarray.NDManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The ranking benchmarks' inputs: a seeded untrained ranker and groups of feature bytes as they arrive on the wire. */
public final class RankingWorkload {

  /** Feature layer recorded with the groups (Llama-3.1-8B at 0.6 depth). */
  public static final int LAYER = 19;

  private RankingWorkload() {}

  /** A seeded untrained ranker, passed through the bundle format so loading is the service's path. */
  public static Ranker untrainedRanker(RankerArchitecture architecture, int dim, int layer) throws Exception {
    RankerNetwork network = RankerNetwork.of(RankerConfig.defaults(architecture, dim, layer));
    try (NDManager manager = NDManager.newBaseManager();
        RankerWeights weights = RankerWeights.initialize(manager, network.parameters(), 7)) {
      byte[] bundle = ModelBundle.of(network.config(), weights, "bench", 1, Map.of(), Map.of("source", "untrained"),
          Map.of(), Instant.now()).toBytes();
      return BundleLoader.load(bundle, BundleExpectations.features(dim, layer));
    }
  }

  /** {@code count} groups of one instruction and {@code k} responses, Gaussian features encoded as {@code dtype}. */
  public static List<FeatureGroup> randomGroups(int dim, int k, FeatureDtype dtype, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<FeatureGroup> groups = new ArrayList<>(count);
    float[] values = new float[dim];
    for (int g = 0; g < count; g++) {
      List<byte[]> responses = new ArrayList<>(k);
      byte[] instruction = null;
      for (int v = 0; v <= k; v++) {
        for (int j = 0; j < dim; j++) {
          values[j] = (float) random.nextGaussian();
        }
        byte[] bytes = FeatureEncoder.encode(values, dtype);
        if (v == 0) {
          instruction = bytes;
        } else {
          responses.add(bytes);
        }
      }
      groups.add(FeatureGroup.of(LAYER, dim, dtype, instruction, responses));
    }
    return groups;
  }
}
