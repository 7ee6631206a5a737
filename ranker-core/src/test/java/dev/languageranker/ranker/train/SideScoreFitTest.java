package dev.languageranker.ranker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.ranker.loss.LossKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The side-feature score's Newton fit reaches the optimum of each loss, and the distinct-answer loss rewards agreement. */
class SideScoreFitTest {

  @ParameterizedTest
  @EnumSource(LossKind.class)
  void theFitIsTheMinimumOfTheObjective(LossKind loss) {
    SplittableRandom random = new SplittableRandom(3);
    List<SideScoreFit.FitGroup> groups = new ArrayList<>();
    for (int g = 0; g < 300; g++) {
      float[][] side = new float[10][3];
      float[] labels = new float[10];
      for (int c = 0; c < 10; c++) {
        for (int f = 0; f < 3; f++) {
          side[c][f] = (float) random.nextGaussian();
        }
        // Labels depend on the first two features with noise, so no weight vector separates them.
        double margin = 1.5 * side[c][0] - 0.7 * side[c][1] + random.nextGaussian();
        labels[c] = loss == LossKind.MSE ? (float) margin : (margin > 0 ? 1f : 0f);
      }
      groups.add(new SideScoreFit.FitGroup(side, labels, null));
    }
    SideScoreFit.Result result = SideScoreFit.fit(groups, 3, loss);
    double[] w = toDouble(result.weights());
    double at = SideScoreFit.objective(groups, w, loss);
    assertEquals(at, result.loss(), 1e-6);
    for (int f = 0; f < 3; f++) {
      for (double step : new double[]{-1e-3, 1e-3}) {
        double[] moved = w.clone();
        moved[f] += step;
        assertTrue(SideScoreFit.objective(groups, moved, loss) >= at - 1e-9,
            loss + ": moving weight " + f + " by " + step + " lowered the loss");
      }
    }
    assertTrue(w[0] > 0 && w[1] < 0, "weights " + java.util.Arrays.toString(w));
    assertTrue(result.iterations() < 30, result.iterations() + " Newton steps");
  }

  @Test
  void countingRepeatedAnswersOnceMakesAgreementWorthMore() {
    // 60% of groups: one answer given 7 times is right, 3 one-off answers are wrong. 40%: the right answer is a one-off
    // and a wrong one is given 6 times. The repeated answer is right more often, so agreement should count positively;
    // the plain listwise loss, which the softmax already lets add up the repeated answer's mass, says the opposite.
    List<SideScoreFit.FitGroup> plain = new ArrayList<>();
    List<SideScoreFit.FitGroup> distinct = new ArrayList<>();
    for (int g = 0; g < 10; g++) {
      boolean majorityRight = g < 6;
      int repeats = majorityRight ? 7 : 6;
      float[][] side = new float[10][1];
      float[] labels = new float[10];
      double[] offsets = new double[10];
      for (int c = 0; c < 10; c++) {
        boolean repeated = c < repeats;
        side[c][0] = repeated ? repeats / 10f : 0.1f;
        labels[c] = repeated == majorityRight && (repeated || c == repeats) ? 1f : 0f;
        offsets[c] = -Math.log(repeated ? repeats : 1);
      }
      plain.add(new SideScoreFit.FitGroup(side, labels, null));
      distinct.add(new SideScoreFit.FitGroup(side, labels, offsets));
    }
    float plainWeight = SideScoreFit.fit(plain, 1, LossKind.LISTWISE_KL).weights()[0];
    float distinctWeight = SideScoreFit.fit(distinct, 1, LossKind.LISTWISE_KL).weights()[0];
    assertTrue(plainWeight < 0, "plain loss weight " + plainWeight);
    assertTrue(distinctWeight > 1, "distinct-answer loss weight " + distinctWeight);
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
