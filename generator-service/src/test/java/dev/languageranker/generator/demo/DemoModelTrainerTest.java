package dev.languageranker.generator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.generator.runtime.Architecture;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short training run of a very small model lowers the loss and saves a directory the loader serves. */
class DemoModelTrainerTest {

  @TempDir Path output;

  @Test
  void shortRunLowersTheLossStopsWhereAskedAndSavesALoadableLlamaDirectory() throws Exception {
    DemoTrainingPlan plan = DemoTrainingPlan.defaults().withSteps(60).withStopAfterStep(40).withBatchSize(8)
        .withSize(48, 1, 4, 2, 96).withMerges(40);
    List<DemoModelTrainer.Progress> progress = new ArrayList<>();
    new DemoModelTrainer().train(plan, output, progress::add);
    assertEquals(40, progress.size());
    double first = progress.get(0).loss();
    double last = progress.get(progress.size() - 1).loss();
    assertTrue(last < first - 1.0, "loss went from " + first + " to " + last);
    // the schedule is the 60-step one: the last step is not yet at the end of the decay
    assertTrue(progress.get(39).learningRate() > DemoModelTrainer.learningRate(plan, 60));
    try (LoadedModel loaded = ModelDirectory.load(output, RuntimeOptions.defaults())) {
      assertEquals(Architecture.LLAMA, loaded.config().architecture());
      assertEquals(1, loaded.config().numLayers());
      assertEquals(DemoChatFormat.idOf(DemoChatFormat.END), loaded.eosTokenIds()[0]);
    }
  }
}
