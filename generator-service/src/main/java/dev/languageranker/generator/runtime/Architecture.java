package dev.languageranker.generator.runtime;

import java.util.Arrays;
import java.util.List;

/** The decoder architectures this runtime implements, by their Hugging Face class name. */
public enum Architecture {
  /** Llama 2/3.x and Mistral: no attention biases unless {@code attention_bias} is set. */
  LLAMA("LlamaForCausalLM", "MistralForCausalLM"),
  /** Qwen2 and Qwen2.5: biases on the q, k and v projections. */
  QWEN2("Qwen2ForCausalLM");

  private final List<String> huggingFaceNames;

  Architecture(String... huggingFaceNames) {
    this.huggingFaceNames = List.of(huggingFaceNames);
  }

  /** The name written into {@code config.json}'s {@code architectures}. */
  public String huggingFaceName() {
    return huggingFaceNames.get(0);
  }

  /** Finds the architecture for a Hugging Face class name, refusing any other with its name. */
  public static Architecture fromHuggingFaceName(String name) {
    for (Architecture architecture : values()) {
      if (architecture.huggingFaceNames.contains(name)) {
        return architecture;
      }
    }
    throw new UnsupportedModelException(
        "Unsupported architecture '" + name + "'; supported: "
            + Arrays.stream(values()).flatMap(a -> a.huggingFaceNames.stream()).toList());
  }
}
