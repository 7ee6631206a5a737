package dev.languageranker.cli;

import dev.languageranker.cli.common.ModelOptions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.generator.runtime.CausalLanguageModel;
import dev.languageranker.generator.runtime.ForwardResult;
import dev.languageranker.generator.runtime.LoadedModel;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code inspect-model}: one forward pass over given token ids, printing the logits and a layer's hidden state as
 * JSON, so a converted or downloaded checkpoint can be compared with a reference implementation.
 */
@Command(name = "inspect-model", mixinStandardHelpOptions = true,
    description = "Print architecture, sizes, logits and a layer's hidden state for token ids, as one JSON object.")
public final class InspectModelCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--token-ids", split = ",", required = true,
      description = "Comma-separated token ids.") List<Long> tokenIds;

  @Option(names = "--layer",
      description = "hidden_states[L] to print, 0..layers (default: the feature layer).") Integer layer;

  @Option(names = "--all-positions",
      description = "Print logits and hidden states for every position.") boolean allPositions;

  @Override
  public Integer call() throws Exception {
    try (LoadedModel loaded = modelOptions.load(spec.commandLine())) {
      CausalLanguageModel model = loaded.model();
      int vocab = model.config().vocabSize();
      for (long id : tokenIds) {
        if (id < 0 || id >= vocab) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "Token id " + id + " is outside the vocabulary 0.." + (vocab - 1));
        }
      }
      int chosen = layer != null ? layer : loaded.featureLayer();
      if (chosen < 0 || chosen > model.config().numLayers()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--layer must be in 0.." + model.config().numLayers());
      }
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("architecture", model.config().architecture().huggingFaceName());
      root.put("layers", model.config().numLayers());
      root.put("hidden_size", model.config().hiddenSize());
      root.put("vocab_size", vocab);
      root.put("parameters", model.weights().parameterCount());
      root.put("layer", chosen);
      ArrayNode ids = root.putArray("token_ids");
      tokenIds.forEach(ids::add);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDManager manager = model.manager();
        int n = tokenIds.size();
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
          positions[i] = i;
        }
        ForwardResult result = model.forward(
            manager.create(tokenIds.stream().mapToLong(Long::longValue).toArray(), new Shape(1, n)),
            manager.create(positions, new Shape(1, n)), null, null, chosen, allPositions);
        NDArray hidden = result.hiddenStates().toType(DataType.FLOAT32, false);
        if (allPositions) {
          root.set("logits", rows(mapper, result.logits().reshape(n, vocab)));
          root.set("hidden_state", rows(mapper, hidden.reshape(n, -1)));
        } else {
          root.set("logits", vector(mapper, result.logits().reshape(-1).toFloatArray()));
          root.set("hidden_state", vector(mapper, hidden.get(":, -1, :").reshape(-1).toFloatArray()));
        }
      }
      spec.commandLine().getOut().println(mapper.writeValueAsString(root));
    }
    return 0;
  }

  private static ArrayNode rows(ObjectMapper mapper, NDArray matrix) {
    ArrayNode rows = mapper.createArrayNode();
    for (long r = 0; r < matrix.getShape().get(0); r++) {
      rows.add(vector(mapper, matrix.get(r).toFloatArray()));
    }
    return rows;
  }

  private static ArrayNode vector(ObjectMapper mapper, float[] values) {
    ArrayNode array = mapper.createArrayNode();
    for (float value : values) {
      array.add(value);
    }
    return array;
  }
}
