package dev.languageranker.generator;

import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.SamplingParams;
import dev.languageranker.generator.runtime.ChatMessage;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.SamplingOptions;
import java.util.List;

/**
 * Turns a {@link PromptRequest} into a {@link PreparedPrompt}: task template, chat template, token count and
 * sampling options (the prompt's, else the configured and model defaults), refusing with a reason what cannot be
 * served.
 */
public final class PromptPreparer {

  private final LoadedModel model;
  private final GeneratorSettings settings;

  public PromptPreparer(LoadedModel model, GeneratorSettings settings) {
    this.model = model;
    this.settings = settings;
  }

  /** The prepared prompt; throws {@link UnservablePromptException} with the reason otherwise. */
  public PreparedPrompt prepare(PromptRequest request) {
    if (request.getRequestId() == null || request.getRequestId().isBlank()) {
      throw new UnservablePromptException("empty requestId");
    }
    int k = request.getK() == null ? settings.defaultK() : request.getK();
    if (k < 1 || k > settings.maxK()) {
      throw new UnservablePromptException("k " + k + " is outside 1.." + settings.maxK() + " (generator.k.max)");
    }
    SamplingOptions sampling = sampling(k, request.getSampling());
    List<ChatMessage> messages = TaskPrompts.messages(request);
    String text;
    try {
      text = model.promptText(messages);
    } catch (IllegalArgumentException e) {
      throw new UnservablePromptException(e.getMessage(), e);
    }
    int tokens = model.tokenizer().encode(text).length;
    if (tokens == 0) {
      throw new UnservablePromptException("prompt encodes to no tokens");
    }
    int context = model.config().maxPositionEmbeddings();
    if (tokens + sampling.maxNewTokens() > context) {
      throw new UnservablePromptException("prompt of " + tokens + " tokens plus " + sampling.maxNewTokens()
          + " new tokens is over the model's context length of " + context);
    }
    boolean seeded = request.getSampling() != null && request.getSampling().getSeed() != null;
    return new PreparedPrompt(request, text, tokens, sampling, seeded);
  }

  private SamplingOptions sampling(int k, SamplingParams given) {
    Double temperature = given == null ? null : given.getTemperature();
    Double topP = given == null ? null : given.getTopP();
    Integer topK = given == null ? null : given.getTopK();
    Integer maxNewTokens = given == null ? null : given.getMaxNewTokens();
    Long seed = given == null ? null : given.getSeed();
    List<String> stops = given == null ? List.of() : given.getStop();
    try {
      return new SamplingOptions(k,
          temperature != null ? temperature : orElse(model.defaults().temperature(), 1.0),
          topP != null ? topP : orElse(model.defaults().topP(), 1.0),
          topK != null ? topK : model.defaults().topK() != null ? model.defaults().topK() : 0,
          maxNewTokens != null ? maxNewTokens : settings.defaultMaxNewTokens(),
          stops, seed != null ? seed : 0);
    } catch (IllegalArgumentException e) {
      throw new UnservablePromptException("bad sampling parameters: " + e.getMessage(), e);
    }
  }

  private static double orElse(Double value, double fallback) {
    return value != null ? value : fallback;
  }
}
