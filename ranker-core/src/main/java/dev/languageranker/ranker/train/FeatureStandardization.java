package dev.languageranker.ranker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.model.RankerWeights;
import java.util.SplittableRandom;

/**
 * Per-dimension z-scoring of hidden-state features with statistics of the training rows. Hidden states of a language
 * model have a few dimensions of huge magnitude and a common offset that dwarf the variation between candidates of one
 * prompt; standardizing lets one learning rate fit any model. When training ends it is folded into the projection
 * ({@code W' = W / std}, {@code b' = b - W' mean}), so the bundle reads raw features and serving does no extra work.
 */
final class FeatureStandardization {
  // Rows sampled for the statistics: enough for a mean and a std per dimension (about 2% relative error), and
  // cheap: at 20,000 rows of 4096 the sample alone was a 330 MB copy.
  private static final int MAX_ROWS = 4_000;
  private static final float MIN_STD = 1e-5f;
  private static final String PROJECTION_WEIGHT = "projection.weight";
  private static final String PROJECTION_BIAS = "projection.bias";

  private final NDArray mean;
  private final NDArray std;

  private FeatureStandardization(NDArray mean, NDArray std) {
    this.mean = mean;
    this.std = std;
  }

  /** Statistics over (a seeded sample of) the rows of {@code prompts}: their instructions and candidates. */
  static FeatureStandardization fit(NDManager manager, TrainingSet set, int[] prompts, long seed) {
    long total = 0;
    for (int p : prompts) {
      total += 1 + set.prompts().get(p).candidateCount();
    }
    int count = (int) Math.min(MAX_ROWS, total);
    long[] rows = new long[count];
    SplittableRandom random = new SplittableRandom(seed);
    if (count == total) {
      int i = 0;
      for (int p : prompts) {
        TrainingPrompt prompt = set.prompts().get(p);
        for (int r = 0; r <= prompt.candidateCount(); r++) {
          rows[i++] = prompt.instructionRow() + r;
        }
      }
    } else {
      for (int i = 0; i < count; i++) {
        TrainingPrompt prompt = set.prompts().get(prompts[random.nextInt(prompts.length)]);
        rows[i] = prompt.instructionRow() + random.nextInt(prompt.candidateCount() + 1);
      }
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray sample = set.features().get(scratch.create(rows, new Shape(count)));
      sample.attach(scratch);
      NDArray mean = sample.mean(new int[]{0});
      NDArray std = sample.sub(mean).square().mean(new int[]{0}).sqrt().maximum(MIN_STD);
      mean.attach(manager);
      std.attach(manager);
      return new FeatureStandardization(mean, std);
    }
  }

  /** (x - mean) / std over the last axis; the result belongs to {@code x}'s manager. */
  NDArray apply(NDArray x) {
    return x.sub(mean).div(std);
  }

  /** Rewrites the projection of trained (detached) weights so that they read raw features. */
  void foldInto(RankerWeights weights) {
    NDArray w = weights.get(PROJECTION_WEIGHT);
    NDArray b = weights.get(PROJECTION_BIAS);
    try (NDManager scratch = w.getManager().newSubManager()) {
      NDArray scaled = w.div(std.reshape(1, -1));
      scaled.attach(scratch);
      NDArray shift = scaled.matMul(mean.reshape(-1, 1)).reshape(-1);
      shift.attach(scratch);
      w.set(scaled.toFloatArray());
      b.set(b.sub(shift).toFloatArray());
    }
  }

  /**
   * The inverse of {@link #foldInto}: rewrites the projection of weights that read raw features ({@code W' x + b'}) so
   * that they read standardized ones with the same result ({@code W = W' std}, {@code b = b' + W' mean}).
   */
  void unfoldFrom(RankerWeights weights) {
    NDArray w = weights.get(PROJECTION_WEIGHT);
    NDArray b = weights.get(PROJECTION_BIAS);
    try (NDManager scratch = w.getManager().newSubManager()) {
      NDArray shift = w.matMul(mean.reshape(-1, 1)).reshape(-1);
      shift.attach(scratch);
      NDArray scaled = w.mul(std.reshape(1, -1));
      scaled.attach(scratch);
      b.set(b.add(shift).toFloatArray());
      w.set(scaled.toFloatArray());
    }
  }
}
