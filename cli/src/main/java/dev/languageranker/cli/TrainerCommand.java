package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.platform.service.ServiceLauncher;
import dev.languageranker.trainer.TrainerService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs a trainer instance until stopped. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = {"Runs the trainer service: keeps a bounded on-disk training set per rankerId, retrains on a count or",
        "time trigger, gates each challenger against what ranker services serve now (paired bootstrap on held-out",
        "requests) and publishes only significant improvements to lr.ranker-models; every run goes to",
        "lr.training-runs. Instances share rankerIds as one consumer group (lr-trainer), one owner per rankerId."})
final class TrainerCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws InterruptedException {
    ServiceLauncher.runUntilStopped(TrainerService.NAME, configOptions.load(),
        StackServices.starter(TrainerService.NAME));
    return 0;
  }
}
