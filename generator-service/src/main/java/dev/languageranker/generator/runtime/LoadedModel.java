package dev.languageranker.generator.runtime;

import dev.languageranker.ranker.features.FeaturePooling;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A served model: the decoder, its tokenizer and chat template, its generation defaults, the feature layer and how
 * response features are pooled.
 */
public record LoadedModel(
    Path directory,
    CausalLanguageModel model,
    TextTokenizer tokenizer,
    ChatTemplate chatTemplate,
    GenerationDefaults defaults,
    int featureLayer,
    FeaturePooling featurePooling) implements AutoCloseable {

  public LoadedModel {
    if (featurePooling == null) {
      featurePooling = FeaturePooling.LAST;
    }
  }

  /** A model whose response features are read at the last token. */
  public LoadedModel(Path directory, CausalLanguageModel model, TextTokenizer tokenizer, ChatTemplate chatTemplate,
      GenerationDefaults defaults, int featureLayer) {
    this(directory, model, tokenizer, chatTemplate, defaults, featureLayer, FeaturePooling.LAST);
  }

  public ModelConfig config() {
    return model.config();
  }

  /** End-of-sequence ids: those of generation_config.json, else config.json's. */
  public int[] eosTokenIds() {
    int[] ids = defaults.eosTokenIds().length > 0 ? defaults.eosTokenIds() : config().eosTokenIds();
    return Arrays.copyOf(ids, ids.length);
  }

  /** The prompt text for a conversation: the chat template's rendering, or the last message's text without one. */
  public String promptText(List<ChatMessage> messages) {
    if (chatTemplate == null) {
      return messages.get(messages.size() - 1).content();
    }
    return chatTemplate.render(messages, true);
  }

  public boolean isEos(long token) {
    return IntStream.of(eosTokenIds()).anyMatch(id -> id == token);
  }

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }
}
