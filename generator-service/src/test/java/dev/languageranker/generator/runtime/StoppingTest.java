package dev.languageranker.generator.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Candidates end at an EOS id (kept as the last token, dropped from the text), a stop string, or the limit. */
class StoppingTest {

  private static final String PROMPT = "the dog ate";

  @TempDir Path directory;

  @Test
  void greedyCandidateEndsAtTheTokenLimitThenAtAStopStringThenAtEos() throws IOException {
    try (LoadedModel loaded = GeneratorFixture.load(directory, Architecture.LLAMA, 2, 1, 13)) {
      // Given the greedy continuation without stops
      SamplingOptions greedy = SamplingOptions.of(1, 0.0, 0).withMaxNewTokens(8);
      GeneratedCandidate free = new CandidateGenerator(loaded).generate(List.of(PROMPT), greedy).get(0)
          .candidates().get(0);
      assertEquals(StopReason.MAX_TOKENS, free.stopReason());
      assertEquals(8, free.tokenIds().length);
      // When its third token's text is a stop string
      String stop = loaded.tokenizer().decodeSkippingSpecial(new long[]{free.tokenIds()[2]});
      GeneratedCandidate stopped = new CandidateGenerator(loaded)
          .generate(List.of(PROMPT), greedy.withStopStrings(List.of(stop))).get(0).candidates().get(0);
      // Then the candidate ends there and its text stops before it
      assertEquals(StopReason.STOP_STRING, stopped.stopReason());
      assertTrue(stopped.tokenIds().length <= 3);
      assertTrue(free.text().startsWith(stopped.text()));
      assertTrue(!stopped.text().contains(stop) || stop.isBlank(), stopped.text());
    }
  }

  @Test
  void eosEndsTheCandidateAndIsItsLastTokenButNotPartOfTheText() throws IOException {
    long firstGreedyToken;
    try (LoadedModel loaded = GeneratorFixture.load(directory, Architecture.QWEN2, 2, 1, 17)) {
      firstGreedyToken = new CandidateGenerator(loaded)
          .generate(List.of(PROMPT), SamplingOptions.of(1, 0.0, 0).withMaxNewTokens(3)).get(0)
          .candidates().get(0).tokenIds()[0];
    }
    // Given the same model whose EOS id is the token it emits first
    try (LoadedModel base = GeneratorFixture.load(directory, Architecture.QWEN2, 2, 1, 17)) {
      // (a view of the same model and tokenizer; closed once, through base)
      LoadedModel loaded = new LoadedModel(directory, base.model(), base.tokenizer(), base.chatTemplate(),
          new GenerationDefaults(null, null, null, new int[]{(int) firstGreedyToken}), 1);
      GeneratedCandidate candidate = new CandidateGenerator(loaded)
          .generate(List.of(PROMPT), SamplingOptions.of(1, 0.0, 0).withMaxNewTokens(5)).get(0)
          .candidates().get(0);
      // Then it stops at once with EOS as its only token, an empty text, and a feature read at that token
      assertEquals(StopReason.EOS, candidate.stopReason());
      assertArrayEquals(new long[]{firstGreedyToken}, candidate.tokenIds());
      assertEquals("", candidate.text());
      assertEquals(TinyModels.HIDDEN, candidate.responseFeature().length);
    }
  }
}
