package dev.languageranker.ranker.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetBuilder;
import dev.languageranker.ranker.eval.EvaluationReport;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.loss.LossKind;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Judge-style scores 0-5 train through MSE against the learnable similarity. */
class RealLabelTrainingTest {
  private static final int DIM = 128;

  private static TrainingSet judgeScored(NDManager manager) {
    SyntheticFeatures features = SyntheticFeatures.of(150, 30, DIM, 21);
    TrainingSetBuilder builder = new TrainingSetBuilder(features.layer(), DIM, FeatureDtype.BFLOAT16, LabelType.REAL);
    SplittableRandom noise = new SplittableRandom(4);
    int vectorBytes = DIM * 2;
    features.generate(prompt -> {
      float[] scores = new float[prompt.labels().length];
      List<byte[]> responses = new ArrayList<>();
      for (int k = 0; k < scores.length; k++) {
        // a judge gives correct answers about 4, wrong ones about 1
        scores[k] = (float) Math.max(0, Math.min(5, (prompt.labels()[k] > 0 ? 4 : 1) + 0.5 * noise.nextGaussian()));
        responses.add(Arrays.copyOfRange(prompt.vectors(), (1 + k) * vectorBytes, (2 + k) * vectorBytes));
      }
      FeatureGroup group = FeatureGroup.of(features.layer(), DIM, FeatureDtype.BFLOAT16,
          Arrays.copyOf(prompt.vectors(), vectorBytes), responses);
      builder.add(prompt.requestId(), group, scores, prompt.logProbMeans(), null);
    });
    return builder.build(manager);
  }

  @Test
  void rankerTrainedWithMseOnJudgeScoresSelectsBetterScoredAnswersThanTheFirstSample() {
    try (NDManager manager = NDManager.newBaseManager(); TrainingSet set = judgeScored(manager)) {
      TrainingConfig config = TrainingConfig.defaults().withOptimizer(OptimizerKind.ADAMW, 1e-2f).withBatching(32, 2,
          20);
      TrainingResult result = new RankerTrainer().train(set, config, TrainingProgressListener.NONE);
      result.ranker().close();
      EvaluationReport holdout = result.holdout();
      double ranker = holdout.get("holdout_mean_label");
      double first = holdout.get("first_sample_mean_label");
      double oracle = holdout.get("oracle_mean_label");
      System.out.printf("real labels: ranker %.3f first %.3f oracle %.3f%n", ranker, first, oracle);
      assertTrue(ranker > first + 1.0, "ranker " + ranker + " vs first " + first);
      // The judge's noise is not in the features, so the oracle's pick of the luckiest correct answer
      // is out of reach; always choosing a correct answer would give about 4.0 here.
      assertTrue(ranker > 0.8 * oracle, "ranker " + ranker + " vs oracle " + oracle);
    }
  }

  @Test
  void binaryCrossEntropyOnRealValuedLabelsIsRefused() {
    try (NDManager manager = NDManager.newBaseManager(); TrainingSet set = judgeScored(manager)) {
      TrainingConfig config = TrainingConfig.defaults().withArchitecture(RankerArchitecture.POINTWISE)
          .withLoss(LossKind.POINTWISE_BCE);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new RankerTrainer().train(set, config, TrainingProgressListener.NONE));
      assertTrue(e.getMessage().contains("MSE"), e.getMessage());
    }
  }
}
