package dev.languageranker.generator.runtime;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws one token from a logits row with temperature, top-k and top-p, and reports its model log-prob. */
public final class TokenSampler {

  /** A drawn token and its log-probability under the model's untempered distribution. */
  public record Draw(int token, float logProb) {}

  private final SamplingOptions options;

  public TokenSampler(SamplingOptions options) {
    this.options = options;
  }

  /** Samples from {@code logits[offset, offset + vocab)} with {@code random}. */
  public Draw draw(float[] logits, int offset, int vocab, SplittableRandom random) {
    double max = Double.NEGATIVE_INFINITY;
    int argmax = 0;
    for (int i = 0; i < vocab; i++) {
      if (logits[offset + i] > max) {
        max = logits[offset + i];
        argmax = i;
      }
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(logits[offset + i] - max);
    }
    double logNormaliser = max + Math.log(sum);
    int token = options.temperature() == 0 ? argmax : sampleTempered(logits, offset, vocab, max, random);
    return new Draw(token, (float) (logits[offset + token] - logNormaliser));
  }

  private int sampleTempered(float[] logits, int offset, int vocab, double max, SplittableRandom random) {
    double temperature = options.temperature();
    double[] weights = new double[vocab];
    for (int i = 0; i < vocab; i++) {
      weights[i] = Math.exp((logits[offset + i] - max) / temperature);
    }
    boolean truncate = options.topK() > 0 && options.topK() < vocab || options.topP() < 1.0;
    if (truncate) {
      keepTop(weights);
    }
    double total = 0;
    for (double weight : weights) {
      total += weight;
    }
    double u = random.nextDouble() * total;
    double cumulative = 0;
    int last = 0;
    for (int i = 0; i < vocab; i++) {
      if (weights[i] > 0) {
        cumulative += weights[i];
        last = i;
        if (u < cumulative) {
          return i;
        }
      }
    }
    return last;
  }

  /** Zeroes the weights outside the top-k and outside the smallest set whose mass reaches top-p. */
  private void keepTop(double[] weights) {
    Integer[] order = new Integer[weights.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(weights[b], weights[a]));
    double total = 0;
    for (double weight : weights) {
      total += weight;
    }
    int limit = options.topK() > 0 ? Math.min(options.topK(), weights.length) : weights.length;
    double kept = 0;
    int keep = 0;
    while (keep < limit) {
      kept += weights[order[keep]];
      keep++;
      if (kept >= options.topP() * total) {
        break;
      }
    }
    for (int i = keep; i < order.length; i++) {
      weights[order[i]] = 0;
    }
  }
}
