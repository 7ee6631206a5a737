package dev.languageranker.generator;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import dev.languageranker.events.FinishReason;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.generator.runtime.GeneratedCandidate;
import dev.languageranker.generator.runtime.PromptGeneration;
import dev.languageranker.generator.runtime.StopReason;
import dev.languageranker.ranker.features.FeatureEncoder;
import dev.languageranker.ranker.features.FeaturePooling;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns one prompt's generation into its K {@link Candidate} events, with features in the configured dtype. */
public final class CandidateEvents {

  private final FeatureDtype dtype;
  private final String baseModelId;
  private final int numLayers;

  public CandidateEvents(FeatureDtype dtype, String baseModelId, int numLayers) {
    this.dtype = dtype;
    this.baseModelId = baseModelId;
    this.numLayers = numLayers;
  }

  public List<Candidate> of(PromptRequest request, PromptGeneration generation, Instant generatedAt) {
    int k = generation.candidates().size();
    byte[] instruction = encode(generation.instructionFeature());
    List<Candidate> candidates = new ArrayList<>(k);
    for (GeneratedCandidate generated : generation.candidates()) {
      Features features = Features.newBuilder()
          .setLayer(generation.featureSpec().layer())
          .setNumLayers(numLayers)
          .setDim(generation.featureSpec().dim())
          .setDtype(dtype)
          // One array for all K candidates: the instruction feature is the same for the whole group.
          .setInstruction(ByteBuffer.wrap(instruction).asReadOnlyBuffer())
          .setResponse(ByteBuffer.wrap(encode(generated.responseFeature())))
          .setPooling(generation.featureSpec().pooling() == FeaturePooling.MEAN
              ? dev.languageranker.events.FeaturePooling.MEAN : dev.languageranker.events.FeaturePooling.LAST)
          .build();
      int tokens = generated.tokenIds().length;
      candidates.add(Candidate.newBuilder()
          .setRequestId(request.getRequestId())
          .setTask(request.getTask())
          .setRankerId(request.getRankerId())
          .setRankerVersion(request.getRankerVersion())
          .setIndex(generated.index())
          .setK(k)
          .setText(generated.text())
          .setTokenCount(tokens)
          .setLogProbSum(generated.logProb())
          .setLogProbMean(generated.meanLogProb())
          .setFinishReason(finishReason(generated.stopReason()))
          .setFeatures(features)
          .setBaseModelId(baseModelId)
          .setPromptCreatedAt(request.getCreatedAt())
          .setGeneratedAt(generatedAt)
          .setMetadata(request.getMetadata())
          .build());
    }
    return candidates;
  }

  static FinishReason finishReason(StopReason reason) {
    return switch (reason) {
      case EOS -> FinishReason.EOS;
      case STOP_STRING -> FinishReason.STOP_STRING;
      case MAX_TOKENS -> FinishReason.LENGTH;
    };
  }

  private byte[] encode(float[] values) {
    return FeatureEncoder.encode(values, switch (dtype) {
      case FLOAT32 -> dev.languageranker.ranker.features.FeatureDtype.FLOAT32;
      case BFLOAT16 -> dev.languageranker.ranker.features.FeatureDtype.BFLOAT16;
      case FLOAT16 -> dev.languageranker.ranker.features.FeatureDtype.FLOAT16;
      default -> throw new IllegalStateException("no encoding for feature dtype " + dtype);
    });
  }
}
