package dev.languageranker.cli.common;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The PyTorch thread count of a ranker command, and starting the engine with it (a picocli mixin). */
public final class TorchThreadOptions {

  @Option(names = "--threads", defaultValue = "1",
      description = "PyTorch intra-op threads; 0 = one per core. One is the default because OpenMP threads spin-wait and"
          + " collapse when the cores are shared (measured 30x slower). Default: ${DEFAULT-VALUE}.") int threads;

  /** Starts DJL's PyTorch engine with the chosen threads; a negative count is a usage error of {@code command}. */
  public void startEngine(CommandLine command) {
    if (threads < 0) {
      throw new CommandLine.ParameterException(command, "--threads must be 0 (default) or positive");
    }
    TorchEngine.start(threads);
  }
}
