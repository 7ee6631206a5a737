package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.demo.DemoChatFormat;
import dev.languageranker.demo.DemoTokenizerBuilder;
import dev.languageranker.generator.runtime.GenerationDefaults;
import dev.languageranker.generator.runtime.ModelConfig;
import dev.languageranker.generator.runtime.ModelDirectoryWriter;
import dev.languageranker.generator.runtime.ModelWeights;
import dev.languageranker.generator.runtime.TensorDtype;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The model commands print what they promise for a small Llama directory, and refuse bad arguments. */
class ModelCommandsTest {

  @TempDir static Path model;
  private static int vocab;

  @BeforeAll
  static void writeTinyModel() throws Exception {
    Path tokenizer = model.resolve("tokenizer.json");
    new DemoTokenizerBuilder(20).write(List.of("the cat sat on the mat", "Tom has 12 apples."), tokenizer);
    vocab = new ObjectMapper().readTree(tokenizer.toFile()).path("model").path("vocab").size();
    ModelConfig config = ModelConfig.llama(vocab, 32, 64, 5, 4, 2, 256, 2, DemoChatFormat.idOf(DemoChatFormat.END));
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ModelDirectoryWriter.write(model, config, ModelWeights.initialise(config, manager, 1), TensorDtype.F32,
          DemoChatFormat.TEMPLATE, DemoChatFormat.BOS, DemoChatFormat.END, GenerationDefaults.none());
    }
  }

  @Test
  void inspectModelPrintsLogitsAndTheFeatureLayerStateOfTheLastPosition() throws Exception {
    Run run = run("inspect-model", "--model", model.toString(), "--token-ids", "2,10,11");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals("LlamaForCausalLM", json.get("architecture").asText());
    assertEquals(5, json.get("layers").asInt());
    assertEquals(3, json.get("layer").asInt()); // round(0.6 x 5)
    assertEquals(vocab, json.get("logits").size());
    assertEquals(32, json.get("hidden_state").size());
    Run all = run("inspect-model", "--model", model.toString(), "--token-ids", "2,10,11", "--layer", "1",
        "--all-positions");
    JsonNode allJson = new ObjectMapper().readTree(all.out());
    assertEquals(3, allJson.get("logits").size());
    assertEquals(3, allJson.get("hidden_state").size());
    // the last position of --all-positions is the default output's logits
    assertEquals(json.get("logits").get(7).asDouble(), allJson.get("logits").get(2).get(7).asDouble(), 1e-5);
  }

  @Test
  void generateWithJsonPrintsKCandidatesWithLogProbsAndFeatureDims() throws Exception {
    Run run = run("generate", "--model", model.toString(), "--k", "3", "--max-new-tokens", "4", "--json", "hi");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals(3, json.get("candidates").size());
    assertEquals(3, json.get("feature_layer").asInt());
    assertEquals(32, json.get("feature_dim").asInt());
    for (JsonNode candidate : json.get("candidates")) {
      assertEquals(32, candidate.get("response_feature_dim").asInt());
      assertEquals(candidate.get("tokens").asInt(), candidate.get("token_log_probs").size());
      assertTrue(candidate.get("log_prob").asDouble() < 0);
    }
  }

  @Test
  void badArgumentsExitNonZeroWithAMessage() {
    Run badToken = run("inspect-model", "--model", model.toString(), "--token-ids", "99999");
    assertEquals(2, badToken.exitCode());
    assertTrue(badToken.err().contains("outside the vocabulary"), badToken.err());
    Run noModel = run("generate", "--model", model.resolve("missing").toString(), "hi");
    assertEquals(2, noModel.exitCode());
    assertTrue(noModel.err().contains("does not exist"), noModel.err());
    Run badTask = run("base-eval", "--model", model.toString(), "--tasks", "poetry");
    assertEquals(2, badTask.exitCode());
    assertTrue(badTask.err().contains("poetry"), badTask.err());
    Run initForBase = run("train-demo-model", "--init", model.toString(), "--output",
        model.resolve("out").toString());
    assertEquals(2, initForBase.exitCode());
    assertTrue(initForBase.err().contains("--init is needed by"), initForBase.err());
    Run badMix = run("train-demo-model", "--stage", "self-assessment", "--init", model.toString(),
        "--assessment-mix", "1.5,1,1", "--output", model.resolve("out").toString());
    assertEquals(2, badMix.exitCode());
    assertTrue(badMix.err().contains("flawedShare"), badMix.err());
    Run ownForBase = run("train-demo-model", "--assessment-source", "own-samples", "--output",
        model.resolve("out").toString());
    assertEquals(2, ownForBase.exitCode());
    assertTrue(ownForBase.err().contains("needs a model to sample from"), ownForBase.err());
    Run cacheWithoutOwn = run("train-demo-model", "--stage", "self-assessment", "--init", model.toString(),
        "--own-samples-cache", model.resolve("own.jsonl").toString(), "--output", model.resolve("out").toString());
    assertEquals(2, cacheWithoutOwn.exitCode());
    assertTrue(cacheWithoutOwn.err().contains("--own-samples-cache"), cacheWithoutOwn.err());
    Run teacherWithoutDistillation = run("train-demo-model", "--stage", "self-assessment", "--init", model.toString(),
        "--teacher", model.toString(), "--output", model.resolve("out").toString());
    assertEquals(2, teacherWithoutDistillation.exitCode());
    assertTrue(teacherWithoutDistillation.err().contains("--teacher is only for --distill-weight"),
        teacherWithoutDistillation.err());
    Run habitsWithoutInit = run("train-demo-model", "--stage", "habits", "--output", model.resolve("out").toString());
    assertEquals(2, habitsWithoutInit.exitCode());
    assertTrue(habitsWithoutInit.err().contains("--init is needed by"), habitsWithoutInit.err());
    Run badHabitShare = run("train-demo-model", "--stage", "habits", "--init", model.toString(),
        "--habitual-mistakes", "1.5", "--output", model.resolve("out").toString());
    assertEquals(2, badHabitShare.exitCode());
    assertTrue(badHabitShare.err().contains("--habitual-mistakes must be in 0..1"), badHabitShare.err());
    Run judgeBelowTheTop = run("train-demo-model", "--stage", "self-assessment", "--init", model.toString(),
        "--judge-on-top", "--size", "192,6,6,2,384", "--output", model.resolve("out").toString());
    assertEquals(2, judgeBelowTheTop.exitCode());
    assertTrue(judgeBelowTheTop.err().contains("--judge-on-top needs the feature layer"), judgeBelowTheTop.err());
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}
