package dev.languageranker.ranker.synthetic;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetBuilder;
import dev.languageranker.ranker.data.TrainingSetWriter;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureEncoder;
import dev.languageranker.ranker.features.FeatureGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Hidden-state-like features with a planted signal, for tests and benchmarks. Every vector is
 * Gaussian noise. Each instruction points along a hidden unit direction u ("what a good answer
 * looks like"); a correct response is shifted along u and an incorrect one against it. Half of the
 * responses, chosen independently of correctness, are distractors that carry an extra copy of
 * their instruction's noise, so plain cosine similarity to the instruction prefers them and is
 * useless. A ranker has to find u among all directions to beat the first sample.
 *
 * @param signal shift along u in units of the per-element noise
 * @param shuffleLabels permute labels within each prompt after generation, destroying the signal
 */
public record SyntheticFeatures(
    int prompts, int samplesPerPrompt, int dim, int layer, FeatureDtype dtype, float signal, boolean shuffleLabels,
    long seed) {

  private static final float INSTRUCTION_INTENT = 4f;
  private static final float SHARED_INSTRUCTION = 0.3f;
  private static final float DISTRACTOR = 0.7f;
  private static final String[] WRONG_ANSWERS = {"w0", "w1", "w2", "w3", "w4"};

  public SyntheticFeatures {
    if (prompts < 1 || samplesPerPrompt < 1 || dim < 2) {
      throw new IllegalArgumentException("need prompts >= 1, samplesPerPrompt >= 1, dim >= 2");
    }
  }

  public static SyntheticFeatures of(int prompts, int samplesPerPrompt, int dim, long seed) {
    return new SyntheticFeatures(prompts, samplesPerPrompt, dim, Math.max(1, dim / 128), FeatureDtype.BFLOAT16, 2.0f,
        false, seed);
  }

  public SyntheticFeatures withShuffledLabels() {
    return new SyntheticFeatures(prompts, samplesPerPrompt, dim, layer, dtype, signal, true, seed);
  }

  public SyntheticFeatures withDtype(FeatureDtype value) {
    return new SyntheticFeatures(prompts, samplesPerPrompt, dim, layer, value, signal, shuffleLabels, seed);
  }

  /** Generates every prompt in order; the same seed gives the same bytes. */
  public void generate(Consumer<SyntheticPrompt> sink) {
    SplittableRandom random = new SplittableRandom(seed);
    // Lengths carry no signal and come from their own stream, so the features are those of earlier versions.
    SplittableRandom lengths = new SplittableRandom(seed ^ 0x5DEECE66DL);
    float[] direction = unitVector(random);
    int rows = 1 + samplesPerPrompt;
    float[] vectors = new float[rows * dim];
    for (int p = 0; p < prompts; p++) {
      float[] labels = new float[samplesPerPrompt];
      float[] logProbs = new float[samplesPerPrompt];
      String[] keys = new String[samplesPerPrompt];
      int[] tokenCounts = new int[samplesPerPrompt];
      for (int k = 0; k < samplesPerPrompt; k++) {
        tokenCounts[k] = 10 + lengths.nextInt(90);
      }
      for (int j = 0; j < dim; j++) {
        vectors[j] = (float) random.nextGaussian();
      }
      float[] instructionNoise = Arrays.copyOf(vectors, dim);
      for (int j = 0; j < dim; j++) {
        vectors[j] += INSTRUCTION_INTENT * direction[j];
      }
      // Prompts differ in difficulty, so first-sample accuracy is well below the oracle's.
      double pCorrect = 0.05 + 0.45 * random.nextDouble();
      for (int k = 0; k < samplesPerPrompt; k++) {
        boolean correct = random.nextDouble() < pCorrect;
        boolean distractor = random.nextBoolean();
        float shift = correct ? signal : -signal;
        float instructionShare = SHARED_INSTRUCTION + (distractor ? DISTRACTOR : 0f);
        int base = (1 + k) * dim;
        for (int j = 0; j < dim; j++) {
          vectors[base + j] = (float) random.nextGaussian() + shift * direction[j]
              + instructionShare * instructionNoise[j];
        }
        labels[k] = correct ? 1f : 0f;
        // A weak baseline signal: correct answers are only slightly more likely under the model.
        logProbs[k] = (float) (-1.0 + (correct ? 0.1 : 0.0) + 0.5 * random.nextGaussian());
        keys[k] = correct ? "right" : WRONG_ANSWERS[random.nextInt(WRONG_ANSWERS.length)];
      }
      if (shuffleLabels) {
        shuffleTogether(labels, keys, random);
      }
      sink.accept(new SyntheticPrompt("req-" + seed + "-" + p, FeatureEncoder.encode(vectors, dtype), labels, logProbs,
          keys, tokenCounts));
    }
  }

  /** Writes the data as a training shard at {@code path}. */
  public void writeTo(Path path) throws IOException {
    try (TrainingSetWriter writer = new TrainingSetWriter(path, dtype, dim, layer, LabelType.BINARY)) {
      List<IOException> failures = new ArrayList<>();
      generate(prompt -> {
        try {
          writer.add(prompt.requestId(), prompt.vectors(), prompt.labels(), prompt.logProbMeans(), prompt.answerKeys(),
              prompt.tokenCounts());
        } catch (IOException e) {
          failures.add(e);
        }
      });
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
    }
  }

  /** Builds the data in memory, through the same path a service uses for received groups. */
  public TrainingSet build(NDManager manager) {
    TrainingSetBuilder builder = new TrainingSetBuilder(layer, dim, dtype, LabelType.BINARY);
    int vectorBytes = dim * dtype.bytesPerElement();
    generate(prompt -> {
      byte[] instruction = Arrays.copyOfRange(prompt.vectors(), 0, vectorBytes);
      List<byte[]> responses = new ArrayList<>();
      for (int k = 0; k < prompt.labels().length; k++) {
        responses.add(Arrays.copyOfRange(prompt.vectors(), (1 + k) * vectorBytes, (2 + k) * vectorBytes));
      }
      builder.add(prompt.requestId(), FeatureGroup.of(layer, dim, dtype, instruction, responses), prompt.labels(),
          prompt.logProbMeans(), prompt.answerKeys(), prompt.tokenCounts());
    });
    return builder.build(manager);
  }

  private float[] unitVector(SplittableRandom random) {
    float[] u = new float[dim];
    double norm = 0;
    for (int j = 0; j < dim; j++) {
      u[j] = (float) random.nextGaussian();
      norm += u[j] * u[j];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < dim; j++) {
      u[j] *= scale;
    }
    return u;
  }

  private static void shuffleTogether(float[] labels, String[] keys, SplittableRandom random) {
    for (int i = labels.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float label = labels[i];
      labels[i] = labels[j];
      labels[j] = label;
      String key = keys[i];
      keys[i] = keys[j];
      keys[j] = key;
    }
  }
}
