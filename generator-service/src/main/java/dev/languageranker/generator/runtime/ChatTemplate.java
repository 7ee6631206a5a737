package dev.languageranker.generator.runtime;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A model's Jinja chat template (from {@code tokenizer_config.json}), rendered with Jinjava. */
public final class ChatTemplate {

  private final String template;
  private final String bosToken;
  private final String eosToken;
  private final Jinjava jinjava;

  public ChatTemplate(String template, String bosToken, String eosToken) {
    this.template = template;
    this.bosToken = bosToken == null ? "" : bosToken;
    this.eosToken = eosToken == null ? "" : eosToken;
    // Hugging Face renders with whitespace trimming of block tags, as Jinja's trim_blocks/lstrip_blocks.
    JinjavaConfig config = JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        .withFailOnUnknownTokens(false)
        .withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true).build())
        .build();
    this.jinjava = new Jinjava(config);
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
        "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
  }

  public String source() {
    return template;
  }

  /** Renders the conversation; with {@code addGenerationPrompt} the text ends where the assistant's reply begins. */
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    Map<String, Object> context = new HashMap<>();
    context.put("messages", messages.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
    context.put("add_generation_prompt", addGenerationPrompt);
    context.put("bos_token", bosToken);
    context.put("eos_token", eosToken);
    RenderResult result = jinjava.renderForResult(template, context);
    if (!result.getErrors().isEmpty()) {
      throw new IllegalArgumentException("Chat template failed: " + result.getErrors().get(0).getMessage());
    }
    return result.getOutput();
  }

  /** Called by templates that reject a conversation ({@code raise_exception('...')}). */
  public static String raiseException(String message) {
    throw new IllegalArgumentException("Chat template rejected the conversation: " + message);
  }
}
