package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;
import dev.languageranker.platform.service.ServiceLauncher;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one of the pipeline's services until stopped: {@link Main} adds one per {@link StackServices} entry. */
@Command(mixinStandardHelpOptions = true)
final class ServiceCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  private final StackServices.Service service;

  private ServiceCommand(StackServices.Service service) {
    this.service = service;
  }

  /** The command of a service, named after it and described as StackServices describes it. */
  static CommandLine of(StackServices.Service service) {
    CommandLine command = new CommandLine(new ServiceCommand(service));
    command.getCommandSpec().usageMessage().description(service.description().toArray(String[]::new));
    return command;
  }

  @Override
  public Integer call() throws InterruptedException {
    ServiceLauncher.runUntilStopped(service.name(), configOptions.load(), service.starter());
    return 0;
  }
}
