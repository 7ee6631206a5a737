package dev.languageranker.cli.common;

import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.RuntimeOptions;
import dev.languageranker.generator.runtime.UnsupportedModelException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options that choose and place a base model, shared by the model commands (a picocli mixin). */
public final class ModelOptions {

  @Option(names = "--model", defaultValue = "models/demo",
      description = "Hugging Face style model directory (default: ${DEFAULT-VALUE}).") Path model;

  @Option(names = "--device", defaultValue = "cpu",
      description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).") String device;

  @Option(names = "--dtype", defaultValue = "float32", description = "Compute dtype: float32 or float16.") String dtype;

  @Option(names = "--layer-fraction", defaultValue = "0.6",
      description = "Feature layer as a fraction of the depth (default: ${DEFAULT-VALUE}).") double layerFraction;

  @Option(names = "--feature-layer",
      description = "Explicit feature layer (1..layers), overriding the fraction.") Integer featureLayer;

  @Option(names = "--threads", defaultValue = "1",
      description = "PyTorch intra-op CPU threads (default: ${DEFAULT-VALUE}; more threads than free cores makes "
          + "small-batch decoding many times slower).") int threads;

  /** The model directory. */
  public Path model() {
    return model;
  }

  /** The device option as given (cpu, gpu or gpu:N). */
  public String device() {
    return device;
  }

  /** Loads the model, turning a bad directory or option into a usage error of {@code command}. */
  public LoadedModel load(CommandLine command) {
    if (threads < 1) {
      throw new CommandLine.ParameterException(command, "--threads must be at least 1");
    }
    // DJL reads the thread settings once, when the PyTorch engine starts: before the first load below.
    TorchEngine.start(threads);
    try {
      return ModelDirectory.load(model, new RuntimeOptions(device, dtype, layerFraction, featureLayer));
    } catch (UnsupportedModelException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(command, e.getMessage(), e);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(command, "Cannot read model " + model + ": " + e.getMessage(), e);
    }
  }
}
