package dev.languageranker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench}: measurements too heavy for unit tests, each a subcommand printing one JSON line. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
    subcommands = {BenchGenerateCommand.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark, e.g. 'bench generate'");
  }
}
