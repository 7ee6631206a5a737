package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.platform.service.ServiceLauncher;
import dev.languageranker.ranking.RankerService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs a ranker service instance until stopped. */
@Command(name = "ranker", mixinStandardHelpOptions = true,
    description = {"Runs the ranker service: groups candidates per request, ranks them with the request's ranker",
        "version (or a fallback) and emits one answer per request to lr.answers; hot-swaps versions published on",
        "lr.ranker-models. Instances share the work as one consumer group (application id lr-ranker)."})
final class RankerCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws InterruptedException {
    ServiceLauncher.runUntilStopped(RankerService.NAME, configOptions.load(),
        StackServices.starter(RankerService.NAME));
    return 0;
  }
}
