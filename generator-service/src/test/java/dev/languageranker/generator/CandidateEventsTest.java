package dev.languageranker.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.FinishReason;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Task;
import dev.languageranker.generator.runtime.CandidateGenerator;
import dev.languageranker.generator.runtime.GeneratedCandidate;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.PromptGeneration;
import dev.languageranker.generator.runtime.RuntimeOptions;
import dev.languageranker.generator.runtime.SamplingOptions;
import dev.languageranker.schemas.FeatureChecks;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generation becomes K candidate events; bf16 features are the float32 hidden states within bf16 rounding. */
class CandidateEventsTest {
  /** bf16 keeps 8 significant bits: round-to-nearest is within 2^-9 relative; allow 2^-8. */
  private static final double BF16_TOLERANCE = 1.0 / 256;

  @TempDir Path directory;

  @Test
  void bfloat16FeaturesMatchTheFloat32HiddenStatesWithinRounding() throws Exception {
    try (LoadedModel model = ModelDirectory.load(TinyModelDirectory.write(directory), RuntimeOptions.defaults())) {
      PromptGeneration generation = new CandidateGenerator(model).generate(List.of("Tom has 12 apples."),
          SamplingOptions.of(3, 1.0, 5).withMaxNewTokens(6)).get(0);
      PromptRequest request = PromptRequest.newBuilder().setRequestId("req-7").setTask(Task.MATH).setText("x")
          .setRankerId("math").setRankerVersion(3L).setCreatedAt(Instant.ofEpochMilli(1000))
          .setMetadata(Map.of("tenant", "acme")).build();
      Instant now = Instant.ofEpochMilli(2000);

      List<Candidate> bf16 = new CandidateEvents(FeatureDtype.BFLOAT16, "tiny", 3).of(request, generation, now);
      List<Candidate> f32 = new CandidateEvents(FeatureDtype.FLOAT32, "tiny", 3).of(request, generation, now);

      assertEquals(3, bf16.size());
      for (int i = 0; i < 3; i++) {
        Candidate half = bf16.get(i);
        Candidate full = f32.get(i);
        GeneratedCandidate generated = generation.candidates().get(i);
        assertEquals(Optional.empty(), FeatureChecks.problem(half.getFeatures()));
        assertEquals(TinyModelDirectory.HIDDEN * 2, half.getFeatures().getResponse().remaining());
        assertEquals(TinyModelDirectory.HIDDEN * 4, full.getFeatures().getResponse().remaining());
        // float32 bytes are the hidden states exactly
        assertArrayEquals(generated.responseFeature(), FeatureBytes.decode(full.getFeatures().getResponse(),
            FeatureDtype.FLOAT32));
        assertArrayEquals(generation.instructionFeature(), FeatureBytes.decode(full.getFeatures().getInstruction(),
            FeatureDtype.FLOAT32));
        float[] response = FeatureBytes.decode(half.getFeatures().getResponse(), FeatureDtype.BFLOAT16);
        float[] instruction = FeatureBytes.decode(half.getFeatures().getInstruction(), FeatureDtype.BFLOAT16);
        assertTrue(FeatureBytes.maxRelativeError(response, generated.responseFeature(), 1e-6) <= BF16_TOLERANCE);
        assertTrue(FeatureBytes.maxRelativeError(instruction, generation.instructionFeature(), 1e-6) <= BF16_TOLERANCE);
        // ... and they are rounded, not just truncated copies of something else
        assertNotEquals(0, response[0]);
        assertEquals(i, half.getIndex());
        assertEquals(3, half.getK());
        assertEquals(generated.text(), half.getText());
        assertEquals(generated.tokenIds().length, half.getTokenCount());
        assertEquals(generated.logProb(), half.getLogProbSum(), 1e-9);
        assertEquals(generated.meanLogProb(), half.getLogProbMean(), 1e-9);
        assertEquals(FinishReason.LENGTH, half.getFinishReason());
        assertEquals(model.featureLayer(), half.getFeatures().getLayer());
        assertEquals(3, half.getFeatures().getNumLayers());
        assertEquals(FeatureDtype.BFLOAT16, half.getFeatures().getDtype());
        assertEquals("tiny", half.getBaseModelId());
        assertEquals("math", half.getRankerId());
        assertEquals(3L, half.getRankerVersion());
        assertEquals(Instant.ofEpochMilli(1000), half.getPromptCreatedAt());
        assertEquals(now, half.getGeneratedAt());
        assertEquals(Map.of("tenant", "acme"), half.getMetadata());
      }
    }
  }
}
