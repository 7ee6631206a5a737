package dev.languageranker.ranker.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.data.TrainingSet;
import java.util.ArrayList;
import java.util.List;

/**
 * How well hidden states separate right from wrong candidates of the same problem: an L2-regularized logistic
 * regression on the response features of training prompts, each centered on its prompt's mean response (so the probe
 * learns what differs within a problem, not which problems are easy), then on each test prompt with both right and
 * wrong candidates the AUC of its scores over (right, wrong) pairs, averaged over those prompts. 0.5 is chance.
 */
public final class LinearProbe {
  private static final int ITERATIONS = 300;
  private static final float LEARNING_RATE = 0.5f;
  private static final float L2 = 1e-3f;

  /** The mean within-prompt AUC and how many test prompts had both a right and a wrong candidate. */
  public record Result(double auc, int prompts) {}

  private LinearProbe() {}

  public static Result withinPromptAuc(TrainingSet train, TrainingSet test) {
    if (train.dim() != test.dim()) {
      throw new IllegalArgumentException(
          "train and test features differ in dim: " + train.dim() + " and " + test.dim());
    }
    int dim = train.dim();
    List<float[]> rows = new ArrayList<>();
    List<Float> labels = new ArrayList<>();
    for (TrainingPrompt prompt : train.prompts()) {
      float[][] centered = centered(train, prompt);
      for (int c = 0; c < centered.length; c++) {
        rows.add(centered[c]);
        labels.add(prompt.labels()[c] > 0.5f ? 1f : 0f);
      }
    }
    float[] weights = fit(rows, labels, dim);
    double aucSum = 0;
    int counted = 0;
    for (TrainingPrompt prompt : test.prompts()) {
      float[][] centered = centered(test, prompt);
      double[] scores = new double[centered.length];
      for (int c = 0; c < centered.length; c++) {
        for (int j = 0; j < dim; j++) {
          scores[c] += weights[j] * centered[c][j];
        }
      }
      double pairs = 0;
      double wins = 0;
      for (int a = 0; a < scores.length; a++) {
        for (int b = 0; b < scores.length; b++) {
          if (prompt.labels()[a] > 0.5f && prompt.labels()[b] <= 0.5f) {
            pairs++;
            wins += scores[a] > scores[b] ? 1 : scores[a] == scores[b] ? 0.5 : 0;
          }
        }
      }
      if (pairs > 0) {
        aucSum += wins / pairs;
        counted++;
      }
    }
    return new Result(counted == 0 ? Double.NaN : aucSum / counted, counted);
  }

  private static float[][] centered(TrainingSet set, TrainingPrompt prompt) {
    int n = prompt.candidateCount();
    int dim = set.dim();
    float[] flat;
    try (NDArray block = set.features().get(prompt.responseRow(0) + ":" + (prompt.responseRow(n - 1) + 1))) {
      flat = block.toFloatArray();
    }
    double[] mean = new double[dim];
    for (int c = 0; c < n; c++) {
      for (int j = 0; j < dim; j++) {
        mean[j] += flat[c * dim + j];
      }
    }
    float[][] out = new float[n][dim];
    for (int c = 0; c < n; c++) {
      for (int j = 0; j < dim; j++) {
        out[c][j] = (float) (flat[c * dim + j] - mean[j] / n);
      }
    }
    return out;
  }

  /** Full-batch gradient descent on standardized inputs; returns weights for the raw (centered) inputs. */
  private static float[] fit(List<float[]> rows, List<Float> labels, int dim) {
    int n = rows.size();
    float[] flat = new float[n * dim];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows.get(i), 0, flat, i * dim, dim);
      y[i] = labels.get(i);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(flat, new Shape(n, dim));
      NDArray std = x.square().mean(new int[]{0}).sqrt().maximum(1e-6f);
      NDArray z = x.div(std);
      NDArray target = manager.create(y, new Shape(n, 1));
      NDArray w = manager.zeros(new Shape(dim, 1));
      NDArray bias = manager.zeros(new Shape(1));
      for (int i = 0; i < ITERATIONS; i++) {
        try (NDManager step = manager.newSubManager()) {
          NDArray p = z.matMul(w).add(bias);
          p.attach(step);
          NDArray error = ai.djl.nn.Activation.sigmoid(p).sub(target);
          error.attach(step);
          NDArray gradient = z.transpose().matMul(error).div(n).add(w.mul(L2));
          gradient.attach(step);
          NDArray biasGradient = error.mean();
          biasGradient.attach(step);
          w.subi(gradient.mul(LEARNING_RATE));
          bias.subi(biasGradient.mul(LEARNING_RATE));
        }
      }
      return w.reshape(-1).div(std).toFloatArray();
    }
  }
}
