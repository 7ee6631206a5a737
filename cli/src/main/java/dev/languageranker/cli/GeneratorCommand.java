package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.generator.GeneratorService;
import dev.languageranker.platform.service.ServiceLauncher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs a generator instance until stopped. */
@Command(name = "generator", mixinStandardHelpOptions = true,
    description = {"Runs the generator service: reads prompts from lr.prompts, samples K candidates per prompt with",
        "the base model (generator.model.dir) and publishes them with their hidden-state features to lr.candidates,",
        "each prompt's group in one transaction with its offsets; unservable prompts go to lr.dead-letters.",
        "Instances share the work as one consumer group (lr-generator), e.g. one per GPU."})
final class GeneratorCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws InterruptedException {
    ServiceLauncher.runUntilStopped(GeneratorService.NAME, configOptions.load(),
        StackServices.starter(GeneratorService.NAME));
    return 0;
  }
}
