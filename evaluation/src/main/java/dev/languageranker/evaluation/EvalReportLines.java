package dev.languageranker.evaluation;

import dev.languageranker.cli.common.JsonLine;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetReader;
import dev.languageranker.ranker.eval.BootstrapInterval;
import dev.languageranker.ranker.eval.Evaluator;
import dev.languageranker.ranker.eval.GroupResults;
import dev.languageranker.ranker.eval.LinearProbe;
import dev.languageranker.ranker.eval.RankerComparison;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code eval} command's per-task comparison, as one JSON object: rankers and baselines with 95% intervals. */
public final class EvalReportLines {
  static final String LISTWISE = "listwise";
  static final String POINTWISE = "pointwise";
  static final String LISTWISE_SIDE = "listwise_side";
  static final String POINTWISE_SIDE = "pointwise_side";
  static final String SIDE_ONLY = "side_only";
  private static final List<String> LEARNED = List.of(LISTWISE, POINTWISE, LISTWISE_SIDE, POINTWISE_SIDE);
  private static final List<String> BASELINES = List.of(Evaluator.MAJORITY_VOTE, Evaluator.MEAN_LOGPROB);
  private static final List<String> REPORTED = List.of(Evaluator.FIRST_SAMPLE, Evaluator.MAJORITY_VOTE,
      Evaluator.MEAN_LOGPROB,
      LISTWISE, POINTWISE, LISTWISE_SIDE, POINTWISE_SIDE, SIDE_ONLY, Evaluator.ORACLE);

  private EvalReportLines() {}

  /** The rankers every evaluation trains: the paper's two, both with side features, and side features alone. */
  static List<RankerComparison.Contender> contenders(long seed) {
    List<SideFeature> side = List.of(SideFeature.values());
    // The committed full-size results (docs/eval/demo-v1.jsonl) were trained with 5 groups per prompt per epoch, at
    // most 30 epochs and patience 3.
    TrainingConfig base = TrainingConfig.defaults().withBatching(64, 30, 5).withEarlyStopping(0.2, 3).withSeed(seed);
    return List.of(
        new RankerComparison.Contender(LISTWISE, base),
        new RankerComparison.Contender(POINTWISE, base.withArchitecture(RankerArchitecture.POINTWISE)),
        new RankerComparison.Contender(LISTWISE_SIDE, base.withSideFeatures(side)),
        new RankerComparison.Contender(POINTWISE_SIDE,
            base.withArchitecture(RankerArchitecture.POINTWISE).withSideFeatures(side)),
        new RankerComparison.Contender(SIDE_ONLY, base.withSideFeatures(side).withHiddenStates(false)));
  }

  static Map<String, Object> evaluate(String task, Path trainShard, Path testShard, int k, long seed, boolean quick)
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet train = TrainingSetReader.read(trainShard, manager);
        TrainingSet test = TrainingSetReader.read(testShard, manager)) {
      int samples = test.prompts().get(0).candidateCount();
      // Every test prompt contributes several groups of K drawn from its N samples; its value is their mean.
      int groupsPerPrompt = samples <= k ? 1 : 10;
      RankerComparison.Outcome outcome = RankerComparison.run(train, test, contenders(seed), k, groupsPerPrompt, seed,
          TrainingProgressListener.NONE);
      BootstrapInterval bootstrap = new BootstrapInterval(quick ? 1_000 : BootstrapInterval.DEFAULT_RESAMPLES, 0.95,
          seed);
      GroupResults results = outcome.test();
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("task", task);
      line.put("k", k);
      line.put("n_test_prompts", test.prompts().size());
      line.put("n_train_prompts", train.prompts().size());
      line.put("samples", samples);
      line.put("test_groups", results.groups().size());
      line.put("pooling", test.pooling().key());
      for (String strategy : REPORTED) {
        BootstrapInterval.Estimate estimate = results.interval(strategy, bootstrap);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("accuracy", JsonLine.round(estimate.estimate(), 4));
        entry.put("ci95", interval(estimate));
        entry.put("ties", results.ties(strategy));
        line.put(strategy, entry);
      }
      for (String method : LEARNED) {
        for (String baseline : BASELINES) {
          line.put(method + "_minus_" + baseline, difference(results.difference(method, baseline, bootstrap)));
        }
      }
      Map<String, Object> best = difference(
          results.difference(outcome.bestRanker(), outcome.betterBaseline(), bootstrap));
      best.put("ranker", outcome.bestRanker());
      best.put("baseline", outcome.betterBaseline());
      line.put("ranker_minus_best_baseline", best);
      line.put("hidden_state_gain", difference(results.difference(LISTWISE_SIDE, SIDE_ONLY, bootstrap)));
      LinearProbe.Result probe = LinearProbe.withinPromptAuc(train, test);
      line.put("probe_auc", JsonLine.round(probe.auc(), 4));
      line.put("probe_auc_prompts", probe.prompts());
      if (outcome.validation() != null) {
        Map<String, Object> validation = new LinkedHashMap<>();
        for (String strategy : REPORTED) {
          validation.put(strategy, JsonLine.round(outcome.validation().mean(strategy), 4));
        }
        line.put("validation", validation);
      }
      Map<String, Object> training = new LinkedHashMap<>();
      outcome.training().forEach((name, summary) -> {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("steps", summary.steps());
        entry.put("final_loss", JsonLine.round(summary.finalLoss(), 4));
        entry.put("epochs", summary.epochsRun());
        entry.put("best_epoch", summary.bestEpoch());
        entry.put("params", summary.parameters());
        entry.put("train_s", JsonLine.round(summary.trainSeconds(), 2));
        training.put(name, entry);
      });
      line.put("training", training);
      line.put("seed", seed);
      return line;
    }
  }

  private static List<Double> interval(BootstrapInterval.Estimate estimate) {
    return List.of(JsonLine.round(estimate.lower(), 4), JsonLine.round(estimate.upper(), 4));
  }

  private static Map<String, Object> difference(BootstrapInterval.Estimate estimate) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("diff", JsonLine.round(estimate.estimate(), 4));
    entry.put("ci95", interval(estimate));
    return entry;
  }
}
