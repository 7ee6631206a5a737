package dev.languageranker.cli;

import dev.languageranker.evaluation.VerifyDatasetsCommand;
import dev.languageranker.evaluation.EvalCommand;
import dev.languageranker.evaluation.BaseEvalCommand;
import dev.languageranker.benchmarks.BenchCommand;
import dev.languageranker.demo.TrainDemoModelCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code language-ranker} command line: one entry point for every service, client command and benchmark. */
@Command(
    name = "language-ranker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Language Ranker Streams: best-of-N reranking of LLM candidates on Apache Kafka.",
    subcommands = {
        CommandLine.HelpCommand.class,
        AnswersCommand.class,
        AskCommand.class,
        BaseEvalCommand.class,
        EvalCommand.class,
        BenchCommand.class,
        BrokerCommand.class,
        ConfigCommand.class,
        DashboardCommand.class,
        FeedbackCommand.class,
        GenerateCommand.class,
        InspectModelCommand.class,
        LagCommand.class,
        LocalCommand.class,
        ProduceCommand.class,
        RankersCommand.class,
        StrimziCommand.class,
        TopicsCommand.class,
        TrainDemoModelCommand.class,
        VerifyCommand.class,
        VerifyDatasetsCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    StackServices.all().forEach(service -> commandLine.addSubcommand(service.name(), ServiceCommand.of(service)));
    return commandLine
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new CliErrorHandler())
        .setParameterExceptionHandler(Main::usageError);
  }

  /** A mistake on the command line: one line naming it and where help is, exit 2; no page of usage. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println("error: " + e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName()
        + " --help')");
    command.getErr().flush();
    return CliErrorHandler.USAGE;
  }

  @Override
  public void run() {
    // No subcommand: show what there is, and fail, since nothing was asked for.
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }
}
