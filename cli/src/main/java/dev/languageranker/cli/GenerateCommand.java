package dev.languageranker.cli;

import dev.languageranker.cli.common.ModelOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.generator.runtime.CandidateGenerator;
import dev.languageranker.generator.runtime.ChatMessage;
import dev.languageranker.generator.runtime.GeneratedCandidate;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.PromptGeneration;
import dev.languageranker.generator.runtime.SamplingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code generate}: samples K candidates for one prompt and prints them with their log-probs (and features). */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Sample K candidates for a prompt with the base model.")
public final class GenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Parameters(index = "0", description = "The user message.") String prompt;

  @Option(names = "--system", description = "A system message.") String system;

  @Option(names = "--k", defaultValue = "10", description = "Candidates (default: ${DEFAULT-VALUE}).") int k;

  @Option(names = "--temperature",
      description = "Temperature (default: generation_config.json's, else 1.0).") Double temperature;

  @Option(names = "--top-p", description = "Nucleus top-p (default: generation_config.json's, else 1.0).") Double topP;

  @Option(names = "--top-k",
      description = "Top-k, 0 for none (default: generation_config.json's, else 0).") Integer topK;

  @Option(names = "--max-new-tokens", defaultValue = "128",
      description = "Limit (default: ${DEFAULT-VALUE}).") int maxNewTokens;

  @Option(names = "--stop", description = "Stop string (repeatable).") List<String> stops = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).") long seed;

  @Option(names = "--raw", description = "Use the prompt as is, without the chat template.") boolean raw;

  @Option(names = "--json", description = "Print one JSON object with the feature layer and dims.") boolean json;

  @Override
  public Integer call() throws Exception {
    try (LoadedModel model = modelOptions.load(spec.commandLine())) {
      SamplingOptions options;
      try {
        options = new SamplingOptions(k,
            temperature != null ? temperature : orDefault(model.defaults().temperature(), 1.0),
            topP != null ? topP : orDefault(model.defaults().topP(), 1.0),
            topK != null ? topK : model.defaults().topK() != null ? model.defaults().topK() : 0,
            maxNewTokens, stops, seed);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      List<ChatMessage> messages = new ArrayList<>();
      if (system != null) {
        messages.add(ChatMessage.system(system));
      }
      messages.add(ChatMessage.user(prompt));
      String promptText = raw ? prompt : model.promptText(messages);
      PromptGeneration generation = new CandidateGenerator(model).generate(List.of(promptText), options).get(0);
      if (json) {
        spec.commandLine().getOut().println(toJson(generation, options));
      } else {
        for (GeneratedCandidate candidate : generation.candidates()) {
          spec.commandLine().getOut().printf(Locale.ROOT, "[%d] log-prob %.3f (mean %.3f, %d tokens, %s)%n%s%n%n",
              candidate.index(),
              candidate.logProb(), candidate.meanLogProb(), candidate.tokenIds().length,
              candidate.stopReason().name().toLowerCase(Locale.ROOT), candidate.text());
        }
      }
    }
    return 0;
  }

  private static double orDefault(Double value, double fallback) {
    return value != null ? value : fallback;
  }

  private static String toJson(PromptGeneration generation, SamplingOptions options) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("prompt", generation.promptText());
    root.put("prompt_tokens", generation.promptTokenIds().length);
    root.put("k", options.k());
    root.put("temperature", options.temperature());
    root.put("feature_layer", generation.featureSpec().layer());
    root.put("feature_dim", generation.featureSpec().dim());
    root.put("feature_dtype", generation.featureSpec().dtype());
    root.put("instruction_feature_dim", generation.instructionFeature().length);
    ArrayNode candidates = root.putArray("candidates");
    for (GeneratedCandidate candidate : generation.candidates()) {
      ObjectNode node = candidates.addObject();
      node.put("index", candidate.index());
      node.put("text", candidate.text());
      node.put("log_prob", candidate.logProb());
      node.put("mean_log_prob", candidate.meanLogProb());
      node.put("tokens", candidate.tokenIds().length);
      node.put("stop_reason", candidate.stopReason().name().toLowerCase(Locale.ROOT));
      node.put("response_feature_dim", candidate.responseFeature().length);
      ArrayNode logProbs = node.putArray("token_log_probs");
      for (float value : candidate.tokenLogProbs()) {
        logProbs.add(value);
      }
    }
    return mapper.writeValueAsString(root);
  }
}
