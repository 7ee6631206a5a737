package dev.languageranker.generator.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** A served model: the decoder, its tokenizer and chat template, its generation defaults and the feature layer. */
public record LoadedModel(
    Path directory,
    CausalLanguageModel model,
    TextTokenizer tokenizer,
    ChatTemplate chatTemplate,
    GenerationDefaults defaults,
    int featureLayer) implements AutoCloseable {

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
