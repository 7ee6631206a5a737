package dev.languageranker.generator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sampling defaults and end-of-sequence ids from {@code generation_config.json} (absent file: no defaults). */
public record GenerationDefaults(Double temperature, Double topP, Integer topK, int[] eosTokenIds) {

  public static final String FILE = "generation_config.json";

  public static GenerationDefaults none() {
    return new GenerationDefaults(null, null, null, new int[0]);
  }

  /** Reads the file when it is there. */
  public static GenerationDefaults read(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return none();
    }
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    JsonNode eos = json.path("eos_token_id");
    int[] eosIds;
    if (eos.isArray()) {
      eosIds = new int[eos.size()];
      for (int i = 0; i < eosIds.length; i++) {
        eosIds[i] = eos.get(i).asInt();
      }
    } else {
      eosIds = eos.isNumber() ? new int[]{eos.asInt()} : new int[0];
    }
    return new GenerationDefaults(
        json.hasNonNull("temperature") ? json.get("temperature").asDouble() : null,
        json.hasNonNull("top_p") ? json.get("top_p").asDouble() : null,
        json.hasNonNull("top_k") ? json.get("top_k").asInt() : null,
        eosIds);
  }
}
