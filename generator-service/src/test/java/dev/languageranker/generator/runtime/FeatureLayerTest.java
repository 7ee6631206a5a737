package dev.languageranker.generator.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeaturePooling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features are Hugging Face's {@code hidden_states[L]}: the output of decoder layer L (from 1), before the final
 * norm, with L = round(0.6 x layers) by default; checked against a reference model cut after layer L.
 */
class FeatureLayerTest {

  private static final long[] TOKENS = {2, 30, 31, 40, 41, 42, 9};

  @TempDir Path directory;

  @Test
  void defaultFeatureLayerIsSixTenthsOfTheDepthRounded() {
    RuntimeOptions options = RuntimeOptions.defaults();
    assertEquals(19, options.resolveFeatureLayer(32)); // Llama 3.1 8B
    assertEquals(17, options.resolveFeatureLayer(28)); // Qwen2.5 7B
    assertEquals(2, options.resolveFeatureLayer(4));
    assertEquals(5, options.withLayerFraction(0.3).resolveFeatureLayer(16));
    assertEquals(7, options.withFeatureLayer(7).resolveFeatureLayer(32));
    assertThrows(IllegalArgumentException.class, () -> options.withFeatureLayer(33).resolveFeatureLayer(32));
  }

  @Test
  void capturedLayerIsTheOutputOfThatDecoderLayerBeforeTheFinalNorm() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      // Given a 4-layer model, and a reference: the same weights cut after layer 2
      ModelConfig config = TinyModels.config(Architecture.QWEN2, 128, 4);
      CausalLanguageModel full = TinyModels.model(config, manager, 21);
      ModelWeights w = full.weights();
      ModelConfig cutConfig = TinyModels.config(Architecture.QWEN2, 128, 2);
      CausalLanguageModel cut = new CausalLanguageModel(cutConfig,
          new ModelWeights(w.embedTokens(), w.layers().subList(0, 2), w.finalNorm(), w.lmHead()), manager);
      NDArray ids = TinyModels.ids(manager, new long[][]{TOKENS});
      NDArray positions = TinyModels.positions(manager, 1, 0, TOKENS.length);
      // When layer 2 is captured from the full model
      ForwardResult captured = full.forward(ids, positions, null, null, 2, true);
      ForwardResult reference = cut.forward(ids, positions, null, null, 2, true);
      // Then it is the cut model's last hidden state
      assertEquals(2, captured.capturedLayer());
      assertTrue(TinyModels.maxAbsDifference(captured.hiddenStates(), reference.hiddenStates()) < 1e-5f);
      // and applying the final norm and head to it gives the cut model's logits (so it is pre-norm, layer 2 exactly)
      NDArray h = captured.hiddenStates();
      NDArray normed = h.div(h.pow(2).mean(new int[]{-1}, true).add(1e-6f).sqrt()).mul(w.finalNorm());
      assertTrue(TinyModels.maxAbsDifference(normed.matMul(w.lmHead()), reference.logits()) < 1e-4f);
      // and the neighbouring layers are different vectors
      NDArray layer1 = full.forward(ids, positions, null, null, 1, true).hiddenStates();
      NDArray layer3 = full.forward(ids, positions, null, null, 3, true).hiddenStates();
      assertTrue(TinyModels.maxAbsDifference(layer1, h) > 1e-2f);
      assertTrue(TinyModels.maxAbsDifference(layer3, h) > 1e-2f);
      // Layer 0 is the embeddings, as hidden_states[0]
      NDArray layer0 = full.forward(ids, positions, null, null, 0, true).hiddenStates();
      assertTrue(TinyModels.maxAbsDifference(layer0, w.embedTokens().get(ids)) < 1e-7f);
    }
  }

  @Test
  void generatorFeaturesAreTheLayerStatesAtTheLastPromptTokenAndTheLastResponseToken() throws IOException {
    try (LoadedModel loaded = GeneratorFixture.load(directory, Architecture.LLAMA, 3, 2, 31)) {
      // Given two prompts of different lengths, K = 3, and short responses
      List<String> prompts = List.of("the cat", "the dog ate the bone. Tom has 12");
      List<PromptGeneration> generations = new CandidateGenerator(loaded)
          .generate(prompts, SamplingOptions.of(3, 1.0, 5).withMaxNewTokens(5));
      NDManager manager = loaded.model().manager();
      for (PromptGeneration generation : generations) {
        assertEquals(new FeatureSpec(2, TinyModels.HIDDEN, "float32"), generation.featureSpec());
        long[] prompt = generation.promptTokenIds();
        // Then the instruction feature is layer 2 at the last prompt token, computed without cache or padding
        assertFeature(loaded, manager, prompt, generation.instructionFeature());
        for (GeneratedCandidate candidate : generation.candidates()) {
          // and each response feature is layer 2 at the last token of prompt + response
          long[] sequence = java.util.Arrays.copyOf(prompt, prompt.length + candidate.tokenIds().length);
          System.arraycopy(candidate.tokenIds(), 0, sequence, prompt.length, candidate.tokenIds().length);
          assertFeature(loaded, manager, sequence, candidate.responseFeature());
        }
      }
    }
  }

  @Test
  void meanPoolingAveragesTheLayerStatesOverTheResponseTokensWithoutEos() throws IOException {
    try (LoadedModel base = GeneratorFixture.load(directory, Architecture.LLAMA, 3, 2, 31)) {
      LoadedModel loaded = new LoadedModel(base.directory(), base.model(), base.tokenizer(), base.chatTemplate(),
          base.defaults(),
          base.featureLayer(), FeaturePooling.MEAN);
      // Given long enough responses that some end with EOS and some at the token limit
      List<PromptGeneration> generations = new CandidateGenerator(loaded)
          .generate(List.of("the cat", "Tom has 12"), SamplingOptions.of(4, 1.0, 9).withMaxNewTokens(6));
      NDManager manager = loaded.model().manager();
      for (PromptGeneration generation : generations) {
        assertEquals(FeaturePooling.MEAN, generation.featureSpec().pooling());
        long[] prompt = generation.promptTokenIds();
        for (GeneratedCandidate candidate : generation.candidates()) {
          long[] tokens = candidate.tokenIds();
          boolean eos = candidate.stopReason() == StopReason.EOS;
          int pooled = eos ? tokens.length - 1 : tokens.length;
          long[] sequence = java.util.Arrays.copyOf(prompt, prompt.length + tokens.length);
          System.arraycopy(tokens, 0, sequence, prompt.length, tokens.length);
          NDArray states = loaded.model().forward(TinyModels.ids(manager, new long[][]{sequence}),
              TinyModels.positions(manager, 1, 0, sequence.length), null, null, 2, false).hiddenStates()
              .reshape(sequence.length, -1);
          // Then the published feature is the mean over the response tokens (EOS excluded), or EOS's own state for an
          // empty response; the last-token feature is still there
          NDArray expected = pooled == 0 ? states.get(sequence.length - 1)
              : states.get(prompt.length + ":" + (prompt.length + pooled)).mean(new int[]{0});
          float[] values = expected.toFloatArray();
          for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], candidate.responseFeature()[i], 1e-4, "element " + i);
          }
          assertArrayEquals(candidate.meanFeature(), candidate.responseFeature());
          assertFeature(loaded, manager, sequence, candidate.lastTokenFeature());
        }
      }
    }
  }

  private static void assertFeature(LoadedModel loaded, NDManager manager, long[] sequence, float[] feature) {
    NDArray expected = loaded.model().forward(TinyModels.ids(manager, new long[][]{sequence}),
        TinyModels.positions(manager, 1, 0, sequence.length), null, null, 2, false)
        .hiddenStates().get(":, -1, :").reshape(-1);
    assertEquals(expected.size(), feature.length);
    float[] values = expected.toFloatArray();
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], feature[i], 1e-4, "element " + i);
    }
  }
}
