package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.ranker.features.FeaturePooling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples K candidates for each of several prompts as one batch with a KV cache, and extracts the features: the
 * hidden state of the feature layer at the last prompt token and at the last token of each prompt+response, and the
 * mean of the feature layer's states over each response's tokens (EOS excluded: it marks the end, not the content).
 * The prompts are prefilled once and their cache rows repeated K times.
 */
public final class CandidateGenerator {

  private final LoadedModel loaded;
  private long featureNanos;
  private long totalNanos;
  private long generatedTokens;

  public CandidateGenerator(LoadedModel loaded) {
    this.loaded = loaded;
  }

  /** Generates for chat conversations, rendered with the model's chat template. */
  public List<PromptGeneration> generateChat(List<List<ChatMessage>> conversations, SamplingOptions options) {
    return generate(conversations.stream().map(loaded::promptText).toList(), options);
  }

  /** Generates for already rendered prompt texts. */
  public List<PromptGeneration> generate(List<String> promptTexts, SamplingOptions options) {
    if (promptTexts.isEmpty()) {
      return List.of();
    }
    long start = System.nanoTime();
    try {
      return run(promptTexts, options);
    } finally {
      totalNanos += System.nanoTime() - start;
    }
  }

  /** Nanoseconds spent on feature extraction (copies and the extra final step), since construction. */
  public long featureNanos() {
    return featureNanos;
  }

  /** Nanoseconds spent in {@link #generate} since construction. */
  public long totalNanos() {
    return totalNanos;
  }

  /** Tokens sampled since construction. */
  public long generatedTokens() {
    return generatedTokens;
  }

  private List<PromptGeneration> run(List<String> promptTexts, SamplingOptions options) {
    CausalLanguageModel model = loaded.model();
    NDManager manager = model.manager();
    int layer = loaded.featureLayer();
    int hidden = model.config().hiddenSize();
    int prompts = promptTexts.size();
    int k = options.k();
    int rows = prompts * k;
    long[][] promptIds = new long[prompts][];
    int longest = 0;
    for (int p = 0; p < prompts; p++) {
      promptIds[p] = loaded.tokenizer().encode(promptTexts.get(p));
      if (promptIds[p].length == 0) {
        throw new IllegalArgumentException("Prompt " + p + " encodes to no tokens");
      }
      longest = Math.max(longest, promptIds[p].length);
    }
    if (longest + options.maxNewTokens() > model.config().maxPositionEmbeddings()) {
      throw new IllegalArgumentException("Prompt of " + longest + " tokens plus " + options.maxNewTokens()
          + " new tokens exceeds the model's " + model.config().maxPositionEmbeddings() + " positions");
    }
    TokenSampler sampler = new TokenSampler(options);
    SplittableRandom seeds = new SplittableRandom(options.seed());
    SplittableRandom[] randoms = new SplittableRandom[rows];
    for (int r = 0; r < rows; r++) {
      randoms[r] = seeds.split();
    }
    float[][] instructionFeatures = new float[prompts][];
    RowState[] states = new RowState[rows];
    for (int r = 0; r < rows; r++) {
      states[r] = new RowState(options.maxNewTokens());
    }
    int vocab = model.config().vocabSize();
    float[] logits;
    // keyMask rows grow by one column per step; kept in Java and sent whole each step (small next to the cache).
    List<float[]> keyMaskColumns = new ArrayList<>();
    int[] nextPosition = new int[rows];
    try (KvCache cache = new KvCache(model.config().numLayers())) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        long[] ids = new long[prompts * longest];
        long[] positions = new long[prompts * longest];
        float[] mask = new float[prompts * longest];
        for (int p = 0; p < prompts; p++) {
          int pad = longest - promptIds[p].length;
          for (int t = 0; t < longest; t++) {
            int i = p * longest + t;
            boolean real = t >= pad;
            ids[i] = real ? promptIds[p][t - pad] : 0;
            positions[i] = real ? t - pad : 0;
            mask[i] = real ? 1f : 0f;
          }
        }
        for (int t = 0; t < longest; t++) {
          float[] column = new float[rows];
          for (int r = 0; r < rows; r++) {
            column[r] = mask[(r / k) * longest + t];
          }
          keyMaskColumns.add(column);
        }
        ForwardResult result = model.forward(
            manager.create(ids, new Shape(prompts, longest)),
            manager.create(positions, new Shape(prompts, longest)),
            manager.create(mask, new Shape(prompts, longest)), cache, layer, false);
        long featureStart = System.nanoTime();
        NDArray lastHidden = result.hiddenStates().get(":, -1, :").toType(DataType.FLOAT32, false);
        float[] flat = lastHidden.toFloatArray();
        for (int p = 0; p < prompts; p++) {
          instructionFeatures[p] = java.util.Arrays.copyOfRange(flat, p * hidden, (p + 1) * hidden);
        }
        featureNanos += System.nanoTime() - featureStart;
        cache.repeatRows(k);
        logits = result.logits().repeat(0, k).toFloatArray();
        for (int r = 0; r < rows; r++) {
          nextPosition[r] = promptIds[r / k].length;
        }
      }
      while (true) {
        boolean anyActive = false;
        for (int r = 0; r < rows; r++) {
          RowState state = states[r];
          if (state.phase != Phase.ACTIVE) {
            continue;
          }
          TokenSampler.Draw draw = sampler.draw(logits, r * vocab, vocab, randoms[r]);
          state.add(draw.token(), draw.logProb());
          generatedTokens++;
          if (loaded.isEos(draw.token())) {
            state.finish(StopReason.EOS);
          } else if (hitsStopString(state, options)) {
            state.finish(StopReason.STOP_STRING);
          } else if (state.length() >= options.maxNewTokens()) {
            state.finish(StopReason.MAX_TOKENS);
          } else {
            anyActive = true;
          }
        }
        boolean anyPending = false;
        for (RowState state : states) {
          anyPending |= state.phase == Phase.PENDING_FEATURE;
        }
        if (!anyActive && !anyPending) {
          break;
        }
        long stepStart = System.nanoTime();
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          long[] ids = new long[rows];
          long[] positions = new long[rows];
          float[] column = new float[rows];
          for (int r = 0; r < rows; r++) {
            boolean feeds = states[r].phase != Phase.DONE;
            ids[r] = feeds ? states[r].lastToken() : 0;
            positions[r] = nextPosition[r];
            column[r] = feeds ? 1f : 0f;
            nextPosition[r]++;
          }
          keyMaskColumns.add(column);
          float[] keyMask = new float[rows * keyMaskColumns.size()];
          for (int c = 0; c < keyMaskColumns.size(); c++) {
            float[] values = keyMaskColumns.get(c);
            for (int r = 0; r < rows; r++) {
              keyMask[r * keyMaskColumns.size() + c] = values[r];
            }
          }
          NDArray stepIds = manager.create(ids, new Shape(rows, 1));
          NDArray stepPositions = manager.create(positions, new Shape(rows, 1));
          NDArray stepMask = manager.create(keyMask, new Shape(rows, keyMaskColumns.size()));
          // With no row left to decode, the step is only for features: the layers above L and the head are skipped.
          ForwardResult result = anyActive
              ? model.forward(stepIds, stepPositions, stepMask, cache, layer, false)
              : model.forwardToLayer(stepIds, stepPositions, stepMask, cache, layer);
          if (anyActive) {
            logits = result.logits().toFloatArray();
          }
          // Every fed token's state at the feature layer: the mean pools them, the last one is the last-token feature.
          long featureStart = System.nanoTime();
          float[] flat = result.hiddenStates().toType(DataType.FLOAT32, false).toFloatArray();
          for (int r = 0; r < rows; r++) {
            RowState state = states[r];
            if (state.phase == Phase.DONE) {
              continue;
            }
            boolean eos = state.phase == Phase.PENDING_FEATURE && state.reason == StopReason.EOS;
            if (!eos) {
              state.accumulate(flat, r * hidden, hidden);
            }
            if (state.phase == Phase.PENDING_FEATURE) {
              state.feature = java.util.Arrays.copyOfRange(flat, r * hidden, (r + 1) * hidden);
              state.phase = Phase.DONE;
            }
          }
          featureNanos += System.nanoTime() - featureStart;
        }
        if (!anyActive) {
          // This step ran only to read the final tokens' features: all of it is feature cost.
          featureNanos += System.nanoTime() - stepStart;
          break;
        }
      }
    }
    FeatureSpec spec = new FeatureSpec(layer, hidden, "float32", loaded.featurePooling());
    List<PromptGeneration> generations = new ArrayList<>();
    for (int p = 0; p < prompts; p++) {
      List<GeneratedCandidate> candidates = new ArrayList<>();
      for (int c = 0; c < k; c++) {
        RowState state = states[p * k + c];
        float[] mean = state.meanFeature();
        float[] chosen = loaded.featurePooling() == FeaturePooling.MEAN ? mean : state.feature;
        candidates.add(new GeneratedCandidate(c, text(state, options), state.tokens(), state.logProbs(),
            state.reason, chosen, state.feature, mean));
      }
      generations.add(new PromptGeneration(promptTexts.get(p), promptIds[p], instructionFeatures[p],
          List.copyOf(candidates), spec));
    }
    return generations;
  }

  private boolean hitsStopString(RowState state, SamplingOptions options) {
    if (options.stopStrings().isEmpty()) {
      return false;
    }
    String text = loaded.tokenizer().decodeSkippingSpecial(state.tokens());
    return options.stopStrings().stream().anyMatch(text::contains);
  }

  private String text(RowState state, SamplingOptions options) {
    long[] tokens = state.tokens();
    if (state.reason == StopReason.EOS) {
      tokens = java.util.Arrays.copyOf(tokens, tokens.length - 1);
    }
    String text = loaded.tokenizer().decodeSkippingSpecial(tokens);
    if (state.reason == StopReason.STOP_STRING) {
      int cut = text.length();
      for (String stop : options.stopStrings()) {
        int at = text.indexOf(stop);
        if (at >= 0) {
          cut = Math.min(cut, at);
        }
      }
      text = text.substring(0, cut);
    }
    return text;
  }

  private enum Phase {
    ACTIVE, PENDING_FEATURE, DONE
  }

  /** One row's progress: tokens so far, their log-probs, and its feature once read. */
  private static final class RowState {
    private final long[] tokens;
    private final float[] logProbs;
    private int length;
    private Phase phase = Phase.ACTIVE;
    private StopReason reason;
    private float[] feature;
    private double[] sum;
    private int pooled;

    RowState(int capacity) {
      tokens = new long[capacity];
      logProbs = new float[capacity];
    }

    void add(int token, float logProb) {
      tokens[length] = token;
      logProbs[length] = logProb;
      length++;
    }

    void accumulate(float[] states, int offset, int hidden) {
      if (sum == null) {
        sum = new double[hidden];
      }
      for (int j = 0; j < hidden; j++) {
        sum[j] += states[offset + j];
      }
      pooled++;
    }

    /** Mean over the response tokens; a response that is only EOS has no token to pool and uses the EOS state. */
    float[] meanFeature() {
      if (pooled == 0) {
        return feature;
      }
      float[] mean = new float[sum.length];
      for (int j = 0; j < sum.length; j++) {
        mean[j] = (float) (sum[j] / pooled);
      }
      return mean;
    }

    void finish(StopReason why) {
      reason = why;
      phase = Phase.PENDING_FEATURE;
    }

    int length() {
      return length;
    }

    long lastToken() {
      return tokens[length - 1];
    }

    long[] tokens() {
      return java.util.Arrays.copyOf(tokens, length);
    }

    float[] logProbs() {
      return java.util.Arrays.copyOf(logProbs, length);
    }
  }
}
