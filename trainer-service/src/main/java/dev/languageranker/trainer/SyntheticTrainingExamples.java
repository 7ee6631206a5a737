package dev.languageranker.trainer;

import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.Verdict;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranker.synthetic.SyntheticPrompt;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training examples as the labeler would publish them, made from ranker-core's synthetic features (a planted signal,
 * or shuffled labels without one): for tests and {@code bench loop}.
 */
public final class SyntheticTrainingExamples {
  /** Base model id the synthetic examples name. */
  public static final String BASE_MODEL_ID = "synthetic";

  private SyntheticTrainingExamples() {}

  /**
   * Examples of {@code rankerId}; without answer keys the fallback champion is the highest mean log-prob, which the
   * synthetic data makes only slightly better than the first sample.
   */
  public static List<TrainingExample> of(String rankerId, SyntheticFeatures features, boolean answerKeys) {
    List<TrainingExample> out = new ArrayList<>();
    features.generate(p -> out.add(of(rankerId, features, p, answerKeys)));
    return out;
  }

  /** One example of {@code rankerId} from a generated prompt; its request id is the rankerId and the prompt's id. */
  public static TrainingExample of(String rankerId, SyntheticFeatures features, SyntheticPrompt p, boolean answerKeys) {
    int bytes = features.dim() * features.dtype().bytesPerElement();
    List<LabeledCandidate> candidates = new ArrayList<>();
    for (int k = 0; k < p.labels().length; k++) {
      candidates.add(LabeledCandidate.newBuilder().setIndex(k)
          .setResponse(ByteBuffer.wrap(Arrays.copyOfRange(p.vectors(), (1 + k) * bytes, (2 + k) * bytes)))
          .setLabel(p.labels()[k]).setVerdict(p.labels()[k] > 0.5 ? Verdict.CORRECT : Verdict.INCORRECT)
          .setAnswerKey(answerKeys ? p.answerKeys()[k] : null).setLogProbMean(p.logProbMeans()[k]).setTokenCount(20 + k)
          .build());
    }
    // With answer keys it looks like math (majority vote is the fallback), without like a general task (mean log-prob).
    return TrainingExample.newBuilder().setRequestId(rankerId + "-" + p.requestId())
        .setTask(answerKeys ? Task.MATH : Task.GENERAL)
        .setRankerId(rankerId).setBaseModelId(BASE_MODEL_ID).setLayer(features.layer()).setDim(features.dim())
        .setDtype(FeatureDtype.valueOf(features.dtype().name()))
        .setInstruction(ByteBuffer.wrap(Arrays.copyOfRange(p.vectors(), 0, bytes))).setLabelType(LabelType.BINARY)
        .setCandidates(candidates).setK(candidates.size()).setComplete(true).setCreatedAt(Instant.ofEpochMilli(0))
        .build();
  }
}
