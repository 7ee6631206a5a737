package dev.languageranker.demo;

import java.util.List;

/** The demo model's special tokens and chat template (compact, to keep sequences short for a tiny model). */
public final class DemoChatFormat {

  public static final String PAD = "<pad>";
  public static final String UNK = "<unk>";
  public static final String BOS = "<s>";
  public static final String END = "<|end|>";
  public static final List<String> SPECIAL_TOKENS = List.of(PAD, UNK, BOS, END, "<|system|>", "<|user|>",
      "<|assistant|>");
  /**
   * Training-only judgements (one token each) of the response before them: they follow its {@link #END} in the
   * training sequences, so generation, which stops at END, never writes or reads them. Plain letters, so that a base
   * model's tokenizer already has them.
   */
  public static final String JUDGED_RIGHT = "Y";
  public static final String JUDGED_WRONG = "N";

  /** Jinja: BOS, then each message as {@code <|role|>content<|end|>}, then {@code <|assistant|>} when asked. */
  public static final String TEMPLATE = "{{ bos_token }}{% for message in messages %}"
      + "{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

  private DemoChatFormat() {}

  public static int idOf(String special) {
    int id = SPECIAL_TOKENS.indexOf(special);
    if (id < 0) {
      throw new IllegalArgumentException("Not a special token: " + special);
    }
    return id;
  }
}
