package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.labeler.LabelerService;
import dev.languageranker.platform.service.ServiceLauncher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs a labeler instance until stopped. */
@Command(name = "labeler", mixinStandardHelpOptions = true,
    description = {"Runs the labeler service: verifies candidates against references (math, code, function calls),",
        "accepts external outcomes on lr.verifications, and publishes labeled groups to lr.training-examples.",
        "Instances share the work as one consumer group (application id lr-labeler)."})
final class LabelerCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws InterruptedException {
    ServiceLauncher.runUntilStopped(LabelerService.NAME, configOptions.load(),
        StackServices.starter(LabelerService.NAME));
    return 0;
  }
}
