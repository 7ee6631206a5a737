package dev.languageranker.ranker.eval;

import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.train.RankerTrainer;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingProgressListener;
import dev.languageranker.ranker.train.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains several ranker configurations on one training set and measures them, with the baselines, on the same groups
 * of a separate test set. The best ranker and the better of majority vote and mean log-prob are chosen on the training
 * set's validation prompts, never on the test set.
 */
public final class RankerComparison {

  /** A named configuration to train. */
  public record Contender(String name, TrainingConfig config) {}

  /** How one configuration trained. */
  public record TrainingSummary(int steps, float finalLoss, int epochsRun, int bestEpoch, double validationAccuracy,
      long parameters,
      double trainSeconds) {}

  /**
   * The outcome.
   *
   * @param test every strategy on the test groups
   * @param validation every strategy on the validation groups of the training set (what chose the best)
   * @param bestRanker the contender with the highest validation accuracy
   * @param betterBaseline majority vote or mean log-prob, whichever was higher on validation
   */
  public record Outcome(GroupResults test, GroupResults validation, Map<String, TrainingSummary> training,
      String bestRanker,
      String betterBaseline) {}

  private RankerComparison() {}

  /**
   * @param testGroupsPerPrompt groups of K drawn per test prompt (their mean is the prompt's value)
   */
  public static Outcome run(TrainingSet train, TrainingSet test, List<Contender> contenders, int k,
      int testGroupsPerPrompt, long seed,
      TrainingProgressListener listener) {
    if (contenders.isEmpty()) {
      throw new IllegalArgumentException("nothing to compare: no ranker configuration");
    }
    if (train.dim() != test.dim() || train.layer() != test.layer() || train.pooling() != test.pooling()) {
      throw new IllegalArgumentException("train and test features differ (dim, layer or pooling)");
    }
    Map<String, Ranker> rankers = new LinkedHashMap<>();
    Map<String, TrainingSummary> training = new LinkedHashMap<>();
    List<TrainingResult> results = new ArrayList<>();
    try {
      int[] validationPrompts = null;
      for (Contender contender : contenders) {
        TrainingConfig config = contender.config().withHoldoutFraction(0).withGroupSize(k);
        TrainingResult result = new RankerTrainer().train(train, config, listener);
        results.add(result);
        rankers.put(contender.name(), result.ranker());
        training.put(contender.name(),
            new TrainingSummary(result.steps(), result.finalLoss(), result.epochsRun(), result.bestEpoch(),
                result.validationAccuracy(), result.ranker().weights().parameterCount(), result.trainSeconds()));
        int[] prompts = RankerTrainer.validationPrompts(train, config);
        if (validationPrompts == null || prompts.length > validationPrompts.length) {
          validationPrompts = prompts;
        }
      }
      Evaluator evaluator = new Evaluator(k, testGroupsPerPrompt, seed);
      GroupResults validation = validationPrompts.length == 0 ? null
          : evaluator.compare(rankers, train, validationPrompts);
      GroupResults testResults = evaluator.compare(rankers, test, Evaluator.allPrompts(test));
      String best = contenders.get(0).name();
      String baseline = Evaluator.MAJORITY_VOTE;
      if (validation != null) {
        for (Contender contender : contenders) {
          if (validation.mean(contender.name()) > validation.mean(best)) {
            best = contender.name();
          }
        }
        if (validation.mean(Evaluator.MEAN_LOGPROB) > validation.mean(Evaluator.MAJORITY_VOTE)) {
          baseline = Evaluator.MEAN_LOGPROB;
        }
      }
      return new Outcome(testResults, validation, training, best, baseline);
    } finally {
      results.forEach(TrainingResult::close);
    }
  }
}
