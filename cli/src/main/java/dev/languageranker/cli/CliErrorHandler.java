package dev.languageranker.cli;

import dev.languageranker.platform.config.ConfigException;
import dev.languageranker.platform.kafka.KafkaOperationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can fix (configuration, an unreachable broker, a port in use, a bad input file) into one
 * line on stderr and a non-zero exit code; anything else keeps its stack trace, since it is a bug.
 */
final class CliErrorHandler implements IExecutionExceptionHandler {
  /** Exit code for errors in what the user gave (configuration, input). */
  static final int USAGE = 2;
  /** Exit code for an environment that failed (broker unreachable, timeout). */
  static final int UNAVAILABLE = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) throws Exception {
    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
      commandLine.getErr().println("error: " + e.getMessage());
      return USAGE;
    }
    if (e instanceof KafkaOperationException || e instanceof java.io.UncheckedIOException) {
      commandLine.getErr().println("error: " + e.getMessage());
      return UNAVAILABLE;
    }
    throw e;
  }
}
