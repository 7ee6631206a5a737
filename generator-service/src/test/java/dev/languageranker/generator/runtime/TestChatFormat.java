package dev.languageranker.generator.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A compact chat format and small BPE tokenizers for tiny test models (the demo model's format; the tokenizers
 * were written once by the demo tokenizer builder and are test resources, so this module needs no demo code).
 */
public final class TestChatFormat {
  public static final String BOS = "<s>";
  public static final String END = "<|end|>";
  /** The special tokens, in id order, at the start of every test tokenizer's vocabulary. */
  public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<unk>", BOS, END, "<|system|>", "<|user|>",
      "<|assistant|>");
  /** Jinja: BOS, then each message as {@code <|role|>content<|end|>}, then {@code <|assistant|>} when asked. */
  public static final String TEMPLATE = "{{ bos_token }}{% for message in messages %}"
      + "{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

  private TestChatFormat() {}

  public static int idOf(String special) {
    int id = SPECIAL_TOKENS.indexOf(special);
    if (id < 0) {
      throw new IllegalArgumentException("Not a special token: " + special);
    }
    return id;
  }

  /** Copies the test tokenizer {@code name} (a resource under tiny-tokenizers/) to {@code file}. */
  public static void writeTokenizer(String name, Path file) {
    try (InputStream in = TestChatFormat.class.getResourceAsStream("/tiny-tokenizers/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no test tokenizer " + name);
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
