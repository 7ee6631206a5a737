package dev.languageranker.ranker.train;

import dev.languageranker.ranker.loss.LossKind;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;

/**
 * Fits the side features' linear score to convergence by Newton's method: the first stage of a ranker that reads side
 * features. The objective is the run's own loss restricted to {@code s = w . side} (plus an L2 term), which is convex in
 * the few weights, so the result is the optimum rather than wherever a minibatch optimiser's schedule happened to stop.
 */
final class SideScoreFit {
  /** L2 weight on the score weights: keeps the optimum finite when a feature separates the training groups. */
  static final double L2 = 1e-3;
  private static final int MAX_ITERATIONS = 100;
  private static final double GRADIENT_TOLERANCE = 1e-9;

  /**
   * One training group's side features and labels.
   *
   * @param side [candidate][feature], already scaled as the ranker will see them
   * @param labels one per candidate
   * @param offsets added to the score inside the loss only (see {@link TrainingConfig#distinctAnswers()}); null for none
   */
  record FitGroup(float[][] side, float[] labels, double[] offsets) {}

  /**
   * @param weights the fitted weights, one per side feature
   * @param iterations Newton steps taken
   * @param loss the objective at the result (mean loss over groups plus the L2 term)
   */
  record Result(float[] weights, int iterations, double loss) {}

  private SideScoreFit() {}

  static Result fit(List<FitGroup> groups, int features, LossKind loss) {
    if (groups.isEmpty()) {
      return new Result(new float[features], 0, Double.NaN);
    }
    double[] w = new double[features];
    double current = objective(groups, w, loss);
    int iteration = 0;
    while (iteration < MAX_ITERATIONS) {
      double[] gradient = new double[features];
      double[][] hessian = new double[features][features];
      derivatives(groups, w, loss, gradient, hessian);
      if (norm(gradient) < GRADIENT_TOLERANCE) {
        break;
      }
      double[] direction = solve(hessian, gradient);
      // Backtracking keeps every step a descent step; the objective is convex, so full steps are taken near the optimum.
      double step = 1;
      double[] candidate = new double[features];
      double next;
      do {
        for (int f = 0; f < features; f++) {
          candidate[f] = w[f] - step * direction[f];
        }
        next = objective(groups, candidate, loss);
        step /= 2;
      } while (!(next <= current) && step > 1e-10);
      iteration++;
      if (!(next <= current)) {
        break;
      }
      boolean converged = current - next < 1e-12;
      w = candidate;
      current = next;
      if (converged) {
        break;
      }
    }
    float[] weights = new float[features];
    for (int f = 0; f < features; f++) {
      weights[f] = (float) w[f];
    }
    return new Result(weights, iteration, current);
  }

  /** The fitted objective: mean loss over the groups plus the L2 term. */
  static double objective(List<FitGroup> groups, double[] w, LossKind loss) {
    double total = 0;
    for (FitGroup group : groups) {
      double[] s = scores(group, w);
      int k = s.length;
      switch (loss) {
        case LISTWISE_KL -> {
          double[] target = targetDistribution(group.labels());
          if (target == null) {
            continue;
          }
          double logZ = logSumExp(s);
          for (int c = 0; c < k; c++) {
            if (target[c] > 0) {
              total -= target[c] * (s[c] - logZ);
            }
          }
        }
        case POINTWISE_BCE -> {
          for (int c = 0; c < k; c++) {
            // log(1 + e^s) - y s, computed without overflow.
            total += Math.max(s[c], 0) + Math.log1p(Math.exp(-Math.abs(s[c]))) - group.labels()[c] * s[c];
          }
        }
        case MSE -> {
          for (int c = 0; c < k; c++) {
            total += (s[c] - group.labels()[c]) * (s[c] - group.labels()[c]);
          }
        }
      }
    }
    double penalty = 0;
    for (double v : w) {
      penalty += v * v;
    }
    return total / groups.size() + L2 / 2 * penalty;
  }

  private static void derivatives(List<FitGroup> groups, double[] w, LossKind loss, double[] gradient,
      double[][] hessian) {
    int features = w.length;
    double n = groups.size();
    for (FitGroup group : groups) {
      double[] s = scores(group, w);
      float[][] x = group.side();
      int k = s.length;
      switch (loss) {
        case LISTWISE_KL -> {
          double[] target = targetDistribution(group.labels());
          if (target == null) {
            continue;
          }
          double logZ = logSumExp(s);
          double[] mean = new double[features];
          double[] p = new double[k];
          for (int c = 0; c < k; c++) {
            p[c] = Math.exp(s[c] - logZ);
            for (int f = 0; f < features; f++) {
              gradient[f] += (p[c] - target[c]) * x[c][f] / n;
              mean[f] += p[c] * x[c][f];
            }
          }
          // Hessian of log-sum-exp: the covariance of the features under the softmax.
          for (int c = 0; c < k; c++) {
            for (int f = 0; f < features; f++) {
              for (int g = 0; g < features; g++) {
                hessian[f][g] += p[c] * (x[c][f] - mean[f]) * (x[c][g] - mean[g]) / n;
              }
            }
          }
        }
        case POINTWISE_BCE -> {
          for (int c = 0; c < k; c++) {
            double p = 1 / (1 + Math.exp(-s[c]));
            for (int f = 0; f < features; f++) {
              gradient[f] += (p - group.labels()[c]) * x[c][f] / n;
              for (int g = 0; g < features; g++) {
                hessian[f][g] += p * (1 - p) * x[c][f] * x[c][g] / n;
              }
            }
          }
        }
        case MSE -> {
          for (int c = 0; c < k; c++) {
            for (int f = 0; f < features; f++) {
              gradient[f] += 2 * (s[c] - group.labels()[c]) * x[c][f] / n;
              for (int g = 0; g < features; g++) {
                hessian[f][g] += 2 * x[c][f] * x[c][g] / n;
              }
            }
          }
        }
      }
    }
    for (int f = 0; f < features; f++) {
      gradient[f] += L2 * w[f];
      hessian[f][f] += L2;
      // Rounding makes the two triangles differ in the last bits; the decomposition wants them equal.
      for (int g = 0; g < f; g++) {
        hessian[f][g] = hessian[g][f];
      }
    }
  }

  /** The listwise loss's target, labels / their sum; null for a group without a positive (it contributes nothing). */
  private static double[] targetDistribution(float[] labels) {
    double positives = 0;
    for (float label : labels) {
      positives += Math.max(0, label);
    }
    if (positives <= 0) {
      return null;
    }
    double[] target = new double[labels.length];
    for (int c = 0; c < labels.length; c++) {
      target[c] = Math.max(0, labels[c]) / positives;
    }
    return target;
  }

  private static double[] scores(FitGroup group, double[] w) {
    float[][] x = group.side();
    double[] s = new double[x.length];
    for (int c = 0; c < x.length; c++) {
      double value = group.offsets() == null ? 0 : group.offsets()[c];
      for (int f = 0; f < w.length; f++) {
        value += w[f] * x[c][f];
      }
      s[c] = value;
    }
    return s;
  }

  private static double logSumExp(double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : s) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : s) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  private static double norm(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x * x;
    }
    return Math.sqrt(sum);
  }

  /** Solves H d = g; H is the Hessian of a strictly convex objective (the L2 term), so symmetric positive definite. */
  static double[] solve(double[][] h, double[] g) {
    return new CholeskyDecomposition(new Array2DRowRealMatrix(h, false)).getSolver()
        .solve(new ArrayRealVector(g, false)).toArray();
  }
}
