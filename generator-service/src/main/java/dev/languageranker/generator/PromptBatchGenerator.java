package dev.languageranker.generator;

import dev.languageranker.events.Candidate;
import dev.languageranker.generator.runtime.CandidateGenerator;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.PromptGeneration;
import dev.languageranker.generator.runtime.SamplingOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates one forward batch of prepared prompts (planned by {@link BatchPlanner}) and returns each prompt's K
 * candidate events. Not thread-safe: one model, one generating thread.
 */
public final class PromptBatchGenerator {

  private final CandidateGenerator generator;
  private final CandidateEvents events;
  private final Clock clock;

  public PromptBatchGenerator(LoadedModel model, GeneratorSettings settings, Clock clock) {
    this.generator = new CandidateGenerator(model);
    this.events = new CandidateEvents(settings.featureDtype(), settings.modelId(), model.config().numLayers());
    this.clock = clock;
  }

  /** The candidates of each prompt, in the prompts' order. */
  public List<List<Candidate>> generate(List<PreparedPrompt> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    SamplingOptions shared = batch.get(0).sampling();
    // A prompt with its own seed runs alone with it; otherwise the seed comes from the first request id, so the
    // same batch generated again (after an aborted transaction) gives the same candidates.
    long seed = batch.get(0).seeded() ? shared.seed() : batch.get(0).request().getRequestId().hashCode();
    SamplingOptions options = new SamplingOptions(shared.k(), shared.temperature(), shared.topP(), shared.topK(),
        shared.maxNewTokens(), shared.stopStrings(), seed);
    List<PromptGeneration> generations = generator.generate(batch.stream().map(PreparedPrompt::promptText).toList(),
        options);
    var now = clock.instant();
    List<List<Candidate>> candidates = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      candidates.add(events.of(batch.get(i).request(), generations.get(i), now));
    }
    return candidates;
  }

  /** Tokens sampled so far. */
  public long generatedTokens() {
    return generator.generatedTokens();
  }
}
