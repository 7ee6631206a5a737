package dev.languageranker.generator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cross-checks the decoder against a second implementation: {@code src/test/python/reference_forward.py}, a NumPy
 * (float64) transcription of Hugging Face's Llama/Qwen2 forward pass, run on the same saved checkpoint. Skipped
 * where python3 with NumPy is not installed.
 */
class NumpyReferenceIT {

  private static final String TOKENS = "2,30,31,40,41,42,9,10,11";
  private static final Path SCRIPT = Path.of("src/test/python/reference_forward.py");

  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void logitsAndLayerStateMatchTheNumpyReference(Architecture architecture) throws Exception {
    assumeTrue(numpyAvailable(), "python3 with numpy is not installed: reference check skipped");
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      // Given a random model saved in the Hugging Face layout
      int vocab = TinyModels.writeTokenizer(directory);
      CausalLanguageModel model = TinyModels.model(TinyModels.config(architecture, vocab, 3), manager, 41);
      ModelDirectoryWriter.write(directory, model.config(), model.weights(), TensorDtype.F32,
          TestChatFormat.TEMPLATE, TestChatFormat.BOS, TestChatFormat.END, GenerationDefaults.none());
      // When both implementations run the same tokens
      JsonNode reference = new ObjectMapper().readTree(run(SCRIPT.toString(), directory.toString(), "--token-ids",
          TOKENS, "--layer", "2"));
      long[] ids = java.util.Arrays.stream(TOKENS.split(",")).mapToLong(Long::parseLong).toArray();
      ForwardResult ours = model.forward(TinyModels.ids(manager, new long[][]{ids}),
          TinyModels.positions(manager, 1, 0, ids.length), null, null, 2, false);
      // Then logits and hidden_states[2] at the last position agree (float32 against float64)
      assertClose(reference.get("logits"), ours.logits().reshape(-1), 2e-4);
      assertClose(reference.get("hidden_state"), ours.hiddenStates().get(":, -1, :").reshape(-1), 2e-4);
    }
  }

  private static void assertClose(JsonNode expected, NDArray actual, double tolerance) {
    float[] values = actual.toFloatArray();
    assertEquals(expected.size(), values.length);
    for (int i = 0; i < values.length; i++) {
      assertEquals(expected.get(i).asDouble(), values[i], tolerance, "element " + i);
    }
  }

  private static boolean numpyAvailable() {
    try {
      run("-c", "import numpy");
      return true;
    } catch (IOException | InterruptedException | IllegalStateException e) {
      return false;
    }
  }

  private static String run(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "python3";
    System.arraycopy(args, 0, command, 1, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("python3 failed: " + output);
    }
    return output;
  }
}
