package dev.languageranker.ranker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A warm-started run begins from the given ranker's weights (re-expressed for standardized features and folded back,
 * so they come out unchanged when the run cannot move them), and weights of another shape are refused with the reason.
 */
class WarmStartTest {
  private static final List<SideFeature> ALL = List.of(SideFeature.values());
  private static NDManager manager;
  private static TrainingSet set;
  private static TrainingResult champion;

  @BeforeAll
  static void trainChampion() {
    manager = NDManager.newBaseManager();
    set = SyntheticFeatures.of(120, 12, 64, 3).build(manager);
    champion = new RankerTrainer().train(set, TrainingConfig.defaults().withSideFeatures(ALL).withBatching(64, 4, 2),
        TrainingProgressListener.NONE);
  }

  @AfterAll
  static void release() {
    champion.close();
    manager.close();
  }

  @Test
  void aWarmStartedRunBeginsFromTheChampionsWeights() {
    // A rate so small that the run cannot move the weights measurably: what comes out is where it started.
    TrainingConfig still = TrainingConfig.defaults().withSideFeatures(ALL).withBatching(64, 1, 2)
        .withOptimizer(OptimizerKind.ADAMW, 1e-9f);
    InitialWeights start = InitialWeights.of(champion.ranker());
    assertTrue(start.refusal(champion.ranker().config(), set.pooling()).isEmpty());
    try (TrainingResult warm = new RankerTrainer().train(set, still, TrainingProgressListener.NONE, start);
        TrainingResult fresh = new RankerTrainer().train(set, still.withSeed(7), TrainingProgressListener.NONE)) {
      double warmGap = maxRelativeGap(champion.ranker().weights(), warm.ranker().weights());
      double freshGap = maxRelativeGap(champion.ranker().weights(), fresh.ranker().weights());
      assertTrue(warmGap < 1e-3, "warm-started weights moved from the champion's by " + warmGap);
      assertTrue(freshGap > 0.1, "fresh weights should differ from the champion's, gap " + freshGap);
      assertArrayEquals(champion.ranker().sideScaling().means(), warm.ranker().sideScaling().means());
      assertEquals(champion.holdout().get("holdout_accuracy"), warm.holdout().get("holdout_accuracy"), 0.01);
    }
  }

  @Test
  void weightsOfAnotherShapeAreRefusedWithTheReason() {
    InitialWeights start = InitialWeights.of(champion.ranker());
    TrainingConfig other = TrainingConfig.defaults().withArchitecture(RankerArchitecture.POINTWISE)
        .withSideFeatures(List.of(SideFeature.VOTE_SHARE)).withBatching(64, 1, 1);
    String why = start
        .refusal(champion.ranker().config().withSideFeatures(List.of(SideFeature.VOTE_SHARE)), set.pooling())
        .orElseThrow();
    assertTrue(why.contains("side features"), why);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RankerTrainer().train(set, other, TrainingProgressListener.NONE, start));
    assertTrue(e.getMessage().contains("architecture") && e.getMessage().contains("side features"), e.getMessage());
  }

  /** Largest |a - b| / (max |a| + 1e-6) over every tensor. */
  private static double maxRelativeGap(RankerWeights a, RankerWeights b) {
    double gap = 0;
    for (Map.Entry<String, NDArray> entry : a.arrays().entrySet()) {
      float[] x = entry.getValue().toFloatArray();
      float[] y = b.get(entry.getKey()).toFloatArray();
      double scale = 1e-6;
      for (float v : x) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < x.length; i++) {
        gap = Math.max(gap, Math.abs(x[i] - y[i]) / scale);
      }
    }
    return gap;
  }
}
