package dev.languageranker.demo;

import dev.languageranker.generator.runtime.CandidateGenerator;
import dev.languageranker.generator.runtime.GeneratedCandidate;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.PromptGeneration;
import dev.languageranker.generator.runtime.SamplingOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Samples K answers per held-out demo problem and scores the base model's baselines against the references. */
public final class BaseEvaluation {

  /** Seed of the held-out problem draw: every evaluation sees the same problems. */
  public static final long PROBLEM_SEED = 20_251_021L;
  private static final int PROMPTS_PER_BATCH = 4;
  private static final int MAX_NEW_TOKENS = 96;

  private final LoadedModel model;
  private final DemoProblemSource source = new DemoProblemSource();
  private final DemoAnswerChecker checker = new DemoAnswerChecker();

  public BaseEvaluation(LoadedModel model) {
    this.model = model;
  }

  /** Evaluates {@code problems} held-out problems of {@code task} with K samples at {@code temperature}. */
  public TaskEvaluation evaluate(DemoTask task, int problems, int k, double temperature, long seed) {
    List<DemoProblem> heldOut = source.heldOut(task, problems, PROBLEM_SEED + task.ordinal());
    CandidateGenerator generator = new CandidateGenerator(model);
    int first = 0;
    int majority = 0;
    int oracle = 0;
    for (int start = 0; start < heldOut.size(); start += PROMPTS_PER_BATCH) {
      List<DemoProblem> batch = heldOut.subList(start, Math.min(heldOut.size(), start + PROMPTS_PER_BATCH));
      SamplingOptions options = new SamplingOptions(k, temperature, 1.0, 0, MAX_NEW_TOKENS, List.of(), seed + start);
      List<PromptGeneration> generations = generator.generateChat(batch.stream().map(DemoProblem::messages).toList(),
          options);
      for (int i = 0; i < batch.size(); i++) {
        DemoProblem problem = batch.get(i);
        List<GeneratedCandidate> candidates = generations.get(i).candidates();
        List<Boolean> correct = candidates.stream()
            .map(c -> checker.isCorrect(task, c.text(), problem.reference())).toList();
        first += correct.get(0) ? 1 : 0;
        oracle += correct.contains(true) ? 1 : 0;
        majority += majorityIsCorrect(task, candidates, problem.reference()) ? 1 : 0;
      }
    }
    double n = heldOut.size();
    return new TaskEvaluation(task.label(), heldOut.size(), k, temperature, first / n, majority / n, oracle / n);
  }

  /** Self-consistency: the most frequent extracted answer (ties go to the one seen first) is checked. */
  private boolean majorityIsCorrect(DemoTask task, List<GeneratedCandidate> candidates, String reference) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    Map<String, String> example = new LinkedHashMap<>();
    for (GeneratedCandidate candidate : candidates) {
      Optional<String> answer = checker.extractAnswer(task, candidate.text());
      answer.ifPresent(a -> {
        votes.merge(a, 1, Integer::sum);
        example.putIfAbsent(a, candidate.text());
      });
    }
    return votes.entrySet().stream()
        .reduce((a, b) -> b.getValue() > a.getValue() ? b : a)
        .map(winner -> checker.isCorrect(task, example.get(winner.getKey()), reference))
        .orElse(false);
  }
}
