package dev.languageranker.benchmarks;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Container for benchmarks; each subcommand prints one JSON line on stdout. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one JSON line on stdout.",
    subcommands = {BenchTrainCommand.class, BenchRankCommand.class, BenchPipelineCommand.class,
        BenchGenerateCommand.class, BenchGeneratorCommand.class, BenchLoopCommand.class, BenchVerifyMathCommand.class,
        BenchJmhCommand.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark name");
  }
}
