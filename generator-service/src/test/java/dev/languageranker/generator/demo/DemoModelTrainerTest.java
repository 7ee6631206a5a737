package dev.languageranker.generator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.generator.runtime.Architecture;
import dev.languageranker.generator.runtime.CausalLanguageModel;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelConfig;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.ModelWeights;
import dev.languageranker.generator.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short training runs of very small models: the loss falls, training stops where asked and saves a directory the
 * loader serves; the self-assessment stage starts from a base model with a fresh identity layer inserted.
 */
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
    double firstJudgement = progress.get(0).judgementLoss();
    double lastJudgement = progress.get(39).judgementLoss();
    assertTrue(lastJudgement < firstJudgement - 1.0, "judgement loss went from " + firstJudgement + " to "
        + lastJudgement);
    // the schedule is the 60-step one: the last step is not yet at the end of the decay
    assertTrue(progress.get(39).learningRate() > DemoModelTrainer.learningRate(plan, 60));
    try (LoadedModel loaded = ModelDirectory.load(output, RuntimeOptions.defaults())) {
      assertEquals(Architecture.LLAMA, loaded.config().architecture());
      assertEquals(1, loaded.config().numLayers());
      assertEquals(DemoChatFormat.idOf(DemoChatFormat.END), loaded.eosTokenIds()[0]);
    }
  }

  @Test
  void selfAssessmentStageStartsFromTheBaseModelWithAnInsertedIdentityLayer() throws Exception {
    Path base = output.resolve("base");
    DemoTrainingPlan basePlan = DemoTrainingPlan.base().withSteps(5).withBatchSize(4).withSize(48, 2, 4, 2, 96)
        .withMerges(40);
    new DemoModelTrainer().train(basePlan, base, progress -> {});
    try (LoadedModel loaded = ModelDirectory.load(base, RuntimeOptions.defaults());
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ModelConfig small = loaded.config();
      ModelConfig deeper = ModelConfig.llama(small.vocabSize(), 48, 96, 3, 4, 2, small.maxPositionEmbeddings(),
          DemoChatFormat.idOf(DemoChatFormat.BOS), DemoChatFormat.idOf(DemoChatFormat.END));
      int featureLayer = RuntimeOptions.defaults().resolveFeatureLayer(3);
      ModelWeights weights = DemoModelTrainer.startFrom(base, deeper, ModelWeights.initialise(deeper, manager, 3),
          featureLayer, manager);
      assertEquals(3, weights.layers().size());
      CausalLanguageModel grown = new CausalLanguageModel(deeper, weights, manager);
      long[] ids = loaded.tokenizer().encode("<s><|user|>Tom has 23 apples.<|end|><|assistant|>23 + 4 = 27");
      long[] positions = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        positions[i] = i;
      }
      Shape shape = new Shape(1, ids.length);
      float[] expected = loaded.model().forward(loaded.model().manager().create(ids, shape),
          loaded.model().manager().create(positions, shape), null, null, CausalLanguageModel.NO_CAPTURE, true)
          .logits().toFloatArray();
      NDArray logits = grown.forward(manager.create(ids, shape), manager.create(positions, shape), null, null,
          CausalLanguageModel.NO_CAPTURE, true).logits();
      float[] actual = logits.toFloatArray();
      float worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      assertTrue(worst < 1e-4, "the grown model differs from the base by " + worst);
    }
  }
}
