package dev.languageranker.generator.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sampling with a fixed seed is reproducible; greedy decoding follows the argmax of the full recomputation. */
class SamplingReproducibilityTest {

  private static final List<String> PROMPTS = List.of("the cat sat", "Tom has 12 apples. Then");

  @TempDir Path directory;
  private LoadedModel loaded;

  @BeforeEach
  void loadModel() throws IOException {
    loaded = GeneratorFixture.load(directory, Architecture.LLAMA, 2, 1, 11);
  }

  @AfterEach
  void close() {
    loaded.close();
  }

  @Test
  void sameSeedGivesTheSameCandidatesAndDifferentSeedsDiffer() {
    SamplingOptions options = SamplingOptions.of(4, 1.0, 42).withMaxNewTokens(12).withTopP(0.95).withTopK(50);
    List<PromptGeneration> first = new CandidateGenerator(loaded).generate(PROMPTS, options);
    List<PromptGeneration> second = new CandidateGenerator(loaded).generate(PROMPTS, options);
    List<PromptGeneration> other = new CandidateGenerator(loaded)
        .generate(PROMPTS, new SamplingOptions(4, 1.0, 0.95, 50, 12, List.of(), 43));
    for (int p = 0; p < PROMPTS.size(); p++) {
      for (int c = 0; c < 4; c++) {
        GeneratedCandidate a = first.get(p).candidates().get(c);
        GeneratedCandidate b = second.get(p).candidates().get(c);
        assertArrayEquals(a.tokenIds(), b.tokenIds());
        assertArrayEquals(a.tokenLogProbs(), b.tokenLogProbs());
        assertEquals(a.text(), b.text());
        assertArrayEquals(a.responseFeature(), b.responseFeature());
      }
    }
    assertNotEquals(tokens(first), tokens(other));
    // K samples of one prompt are not copies of each other
    assertTrue(first.get(0).candidates().stream().map(c -> List.of(c.text())).distinct().count() > 1);
  }

  @Test
  void greedyDecodingFollowsTheArgmaxOfFullRecomputationWithModelLogProbs() {
    SamplingOptions greedy = SamplingOptions.of(2, 0.0, 1).withMaxNewTokens(6);
    PromptGeneration generation = new CandidateGenerator(loaded).generate(List.of(PROMPTS.get(0)), greedy).get(0);
    GeneratedCandidate candidate = generation.candidates().get(0);
    assertArrayEquals(candidate.tokenIds(), generation.candidates().get(1).tokenIds());
    long[] sequence = generation.promptTokenIds();
    NDManager manager = loaded.model().manager();
    for (int i = 0; i < candidate.tokenIds().length; i++) {
      NDArray logits = loaded.model().forward(TinyModels.ids(manager, new long[][]{sequence}),
          TinyModels.positions(manager, 1, 0, sequence.length), null, null, CausalLanguageModel.NO_CAPTURE, false)
          .logits().reshape(-1);
      assertEquals(logits.argMax().getLong(), candidate.tokenIds()[i], "token " + i);
      float expectedLogProb = logits.logSoftmax(0).getFloat(candidate.tokenIds()[i]);
      assertEquals(expectedLogProb, candidate.tokenLogProbs()[i], 1e-4);
      sequence = java.util.Arrays.copyOf(sequence, sequence.length + 1);
      sequence[sequence.length - 1] = candidate.tokenIds()[i];
    }
  }

  @Test
  void topKOfOneSamplesTheArgmaxWhateverTheSeed() {
    TokenSampler sampler = new TokenSampler(SamplingOptions.of(1, 1.5, 0).withTopK(1));
    float[] logits = {0.1f, 2.0f, 1.9f, -3f};
    for (int seed = 0; seed < 50; seed++) {
      assertEquals(1, sampler.draw(logits, 0, 4, new SplittableRandom(seed)).token());
    }
  }

  @Test
  void topPKeepsOnlyTheSmallestSetReachingTheMass() {
    // probabilities about 0.64, 0.24, 0.09, 0.03: top-p 0.8 keeps the first two only
    TokenSampler sampler = new TokenSampler(SamplingOptions.of(1, 1.0, 0).withTopP(0.8));
    float[] logits = {3f, 2f, 1f, 0f};
    SplittableRandom random = new SplittableRandom(3);
    int[] counts = new int[4];
    for (int i = 0; i < 2000; i++) {
      counts[sampler.draw(logits, 0, 4, random).token()]++;
    }
    assertEquals(0, counts[2] + counts[3]);
    assertTrue(counts[1] > 300 && counts[0] > counts[1], java.util.Arrays.toString(counts));
  }

  @Test
  void invalidSamplingOptionsAreRefusedWithTheirName() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> SamplingOptions.of(0, 1.0, 1));
    assertTrue(error.getMessage().contains("k"));
    assertThrows(IllegalArgumentException.class, () -> SamplingOptions.of(1, 1.0, 1).withTopP(1.5));
  }

  private static List<List<Long>> tokens(List<PromptGeneration> generations) {
    return generations.stream().flatMap(g -> g.candidates().stream())
        .map(c -> java.util.Arrays.stream(c.tokenIds()).boxed().toList()).toList();
  }
}
