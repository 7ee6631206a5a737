package dev.languageranker.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.generator.runtime.Architecture;
import dev.languageranker.generator.runtime.CausalLanguageModel;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelConfig;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.ModelWeights;
import dev.languageranker.generator.runtime.RuntimeOptions;
import dev.languageranker.generator.runtime.SafetensorsReader;
import dev.languageranker.generator.runtime.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Short training runs of very small models: the base stage lowers the loss, stops where asked and saves a directory
 * the loader serves; the self-assessment stage starts from it with fresh identity layers inserted below the feature
 * layer, learns the judgement, and changes only the inserted layers.
 */
class DemoModelTrainerTest {

  @TempDir static Path directory;
  private static final List<DemoModelTrainer.Progress> BASE_PROGRESS = new ArrayList<>();
  private static final DemoTrainingPlan BASE = DemoTrainingPlan.base().withSteps(60).withStopAfterStep(40)
      .withBatchSize(8).withSize(48, 1, 4, 2, 96).withMerges(40);

  @BeforeAll
  static void trainBase() throws Exception {
    new DemoModelTrainer().train(BASE, directory.resolve("base"), BASE_PROGRESS::add);
  }

  @Test
  void baseRunLowersTheLossStopsWhereAskedAndSavesALoadableLlamaDirectory() throws Exception {
    assertEquals(40, BASE_PROGRESS.size());
    double first = BASE_PROGRESS.get(0).loss();
    double last = BASE_PROGRESS.get(39).loss();
    assertTrue(last < first - 1.0, "loss went from " + first + " to " + last);
    // the schedule is the 60-step one: the last step is not yet at the end of the decay
    assertTrue(BASE_PROGRESS.get(39).learningRate() > DemoModelTrainer.learningRate(BASE, 60));
    try (LoadedModel loaded = ModelDirectory.load(directory.resolve("base"), RuntimeOptions.defaults())) {
      assertEquals(Architecture.LLAMA, loaded.config().architecture());
      assertEquals(1, loaded.config().numLayers());
      assertEquals(DemoChatFormat.idOf(DemoChatFormat.END), loaded.eosTokenIds()[0]);
    }
  }

  @ParameterizedTest(name = "copied: {0}, on top: {1}, {2} layers")
  @CsvSource({"false,false,2", "true,false,2", "false,true,3", "true,true,3", "true,true,5"})
  void insertedLayersStartAsTheIdentity(boolean copyAbove, boolean onTop, int layers) throws Exception {
    Path base = directory.resolve("base");
    try (LoadedModel loaded = ModelDirectory.load(base, RuntimeOptions.defaults());
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      // on top of the 1-layer base, the feature layer round(0.6 x layers) is an added one: 3 layers put it at 2 (the
      // first added), 5 at 3 (the second)
      ModelConfig deeper = deeper(loaded.config(), layers);
      int featureLayer = RuntimeOptions.defaults().resolveFeatureLayer(layers);
      ModelWeights weights = DemoModelTrainer.startFrom(base, deeper, ModelWeights.initialise(deeper, manager, 3),
          featureLayer, copyAbove, onTop, manager);
      assertEquals(layers, weights.layers().size());
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

  @Test
  void selfAssessmentStageLearnsTheJudgementAndChangesOnlyTheInsertedLayers() throws Exception {
    Path base = directory.resolve("base");
    Path grown = directory.resolve("grown");
    DemoTrainingPlan plan = DemoTrainingPlan.selfAssessment().withSteps(30).withBatchSize(8).withSize(48, 2, 4, 2, 96);
    List<DemoModelTrainer.Progress> progress = new ArrayList<>();
    new DemoModelTrainer().train(plan, grown, null, base, progress::add);
    double first = progress.get(0).judgementLoss();
    double last = progress.get(29).judgementLoss();
    // only the inserted layer learns, under frozen top layers and head: the judgement falls, but slowly
    assertTrue(last < 0.9 * first, "judgement loss went from " + first + " to " + last);
    // feature layer round(0.6 x 2) = 1: the new layer is index 0, below the base's only layer (now index 1)
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Map<String, NDArray> before = SafetensorsReader.readDirectory(base, manager, DataType.FLOAT32);
      Map<String, NDArray> after = SafetensorsReader.readDirectory(grown, manager, DataType.FLOAT32);
      String gate = ".mlp.gate_proj.weight";
      assertArrayEquals(before.get("model.layers.0" + gate).toFloatArray(), after.get("model.layers.1" + gate)
          .toFloatArray());
      assertArrayEquals(before.get("model.embed_tokens.weight").toFloatArray(),
          after.get("model.embed_tokens.weight").toFloatArray());
      assertDownProjectionLearnt(after, 0);
      assertFalse(after.containsKey("model.layers.2" + gate));
    }
  }

  @Test
  void withHabitualMistakesAndBaseLearningTheBaseModelsWeightsLearnToo() throws Exception {
    Path base = directory.resolve("base");
    Path grown = directory.resolve("habits");
    DemoTrainingPlan plan = DemoTrainingPlan.selfAssessment().withSteps(4).withBatchSize(8).withSize(48, 2, 4, 2, 96)
        .withHabitualMistakes(0.5).withBaseLearning(true);
    List<DemoModelTrainer.Progress> progress = new ArrayList<>();
    new DemoModelTrainer().train(plan, grown, null, base, progress::add);
    assertTrue(progress.stream().allMatch(p -> Double.isFinite(p.loss()) && Double.isFinite(p.judgementLoss())
        && p.featureLayerJudgementLoss() > 0), progress.toString());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Map<String, NDArray> before = SafetensorsReader.readDirectory(base, manager, DataType.FLOAT32);
      Map<String, NDArray> after = SafetensorsReader.readDirectory(grown, manager, DataType.FLOAT32);
      String gate = ".mlp.gate_proj.weight";
      // the base's layer (now index 1, above the inserted one) and the embedding learnt, unlike the default stage
      assertFalse(java.util.Arrays.equals(before.get("model.layers.0" + gate).toFloatArray(),
          after.get("model.layers.1" + gate).toFloatArray()), "the base's layer did not change");
      assertFalse(java.util.Arrays.equals(before.get("model.embed_tokens.weight").toFloatArray(),
          after.get("model.embed_tokens.weight").toFloatArray()), "the embedding did not change");
      assertDownProjectionLearnt(after, 0);
    }
  }

  @Test
  void layersOnTopMustIncludeTheFeatureLayer() throws Exception {
    Path base = directory.resolve("base");
    try (LoadedModel loaded = ModelDirectory.load(base, RuntimeOptions.defaults());
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      // 2 layers: feature layer round(1.2) = 1 is the base's own layer, which the added one could not change
      ModelConfig deeper = deeper(loaded.config(), 2);
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> DemoModelTrainer.startFrom(
          base, deeper, ModelWeights.initialise(deeper, manager, 3), 1, false, true, manager));
      assertTrue(refused.getMessage().contains("feature layer must be one of the added layers"), refused.getMessage());
    }
  }

  @Test
  void judgeOnTopDistilledFromItsBaseStartsAtZeroDivergenceAndLeavesTheBaseAlone() throws Exception {
    Path base = directory.resolve("base");
    Path grown = directory.resolve("on-top");
    DemoTrainingPlan plan = DemoTrainingPlan.selfAssessment().withSteps(4).withBatchSize(4).withSize(48, 3, 4, 2, 96)
        .withJudgeOnTop(true).withDistillWeight(1).withCopiedInsertedLayers(true).withDepartureJudgement(true);
    List<DemoModelTrainer.Progress> progress = new ArrayList<>();
    new DemoModelTrainer().train(plan, grown, null, base, null, null, progress::add);
    assertEquals(4, progress.size());
    // the added layers start as the identity: the student is the teacher, to float precision
    assertTrue(Math.abs(progress.get(0).distillLoss()) < 1e-4, "first divergence " + progress.get(0).distillLoss());
    assertTrue(progress.stream().allMatch(p -> Double.isFinite(p.distillLoss()) && Double.isFinite(p.loss())
        && p.featureLayerJudgementLoss() > 0 && Double.isFinite(p.featureLayerJudgementLoss())), progress.toString());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Map<String, NDArray> before = SafetensorsReader.readDirectory(base, manager, DataType.FLOAT32);
      Map<String, NDArray> after = SafetensorsReader.readDirectory(grown, manager, DataType.FLOAT32);
      String gate = ".mlp.gate_proj.weight";
      // the base's layer stays layer 0, unchanged; layers 1 and 2 are the added ones, and they learnt
      assertArrayEquals(before.get("model.layers.0" + gate).toFloatArray(), after.get("model.layers.0" + gate)
          .toFloatArray());
      assertDownProjectionLearnt(after, 1);
      assertDownProjectionLearnt(after, 2);
    }
  }

  @Test
  void selfAssessmentStageTrainsOnTheModelsOwnSamplesLabelledByTheChecker() throws Exception {
    Path base = directory.resolve("base");
    Path cache = directory.resolve("own-samples.jsonl");
    OwnSampleSource source = new OwnSampleSource();
    OwnSampleSource.Settings settings = new OwnSampleSource.Settings(3, 2, 0.5, 5, 40);
    List<OwnSample> samples;
    try (LoadedModel loaded = ModelDirectory.load(base, RuntimeOptions.defaults())) {
      samples = source.sample(loaded, settings, line -> {});
      assertEquals(6, samples.size());
      DemoAnswerChecker checker = new DemoAnswerChecker();
      for (OwnSample sample : samples) {
        String text = loaded.tokenizer().decodeSkippingSpecial(sample.responseIds());
        assertEquals(checker.isCorrect(sample.problem().task(), text, sample.problem().reference()), sample.correct());
        assertFalse(DemoProblemSource.isHeldOut(sample.problem()));
      }
      // seeded: sampling again (into the cache) gives the same responses, and the cache gives them back
      assertSameSamples(samples, source.cached(cache, loaded, settings, line -> {}));
      List<String> said = new ArrayList<>();
      assertSameSamples(samples, source.cached(cache, loaded, settings, said::add));
      assertTrue(said.get(0).startsWith("own samples: read 6"), said.toString());
    }
    // the tiny model writes no right answer; a right and a wrong response per problem make within-problem pairs
    List<OwnSample> withPairs = new ArrayList<>(samples);
    try (TextTokenizer tokenizer = TextTokenizer.load(base.resolve(ModelDirectory.TOKENIZER))) {
      java.util.Random random = new java.util.Random(1);
      for (OwnSample sample : samples) {
        DemoProblem problem = sample.problem();
        String right = problem.targetResponse();
        String wrong = problem.task() == DemoTask.MATH ? right.replace("\\boxed{", "\\boxed{1")
            : "[]";
        withPairs.add(source.label(problem, tokenizer.encode(right + DemoChatFormat.END), true, right, tokenizer));
        withPairs.add(source.label(problem, tokenizer.encode(wrong + DemoChatFormat.END), true, wrong, tokenizer));
      }
    }
    DemoTrainingPlan plan = DemoTrainingPlan.selfAssessment().withSteps(3).withBatchSize(4).withSize(48, 2, 4, 2, 96)
        .withSelfAssessment(0.75, 0, 1).withCopiedInsertedLayers(true).withPairedWeight(1);
    List<DemoModelTrainer.Progress> progress = new ArrayList<>();
    new DemoModelTrainer().train(plan, directory.resolve("own"), null, base, withPairs, progress::add);
    assertEquals(3, progress.size());
    assertTrue(Double.isFinite(progress.get(2).featureLayerJudgementLoss()) && Double.isFinite(progress.get(2).loss()));
    assertTrue(progress.get(2).pairedLoss() > 0 && Double.isFinite(progress.get(2).pairedLoss()), progress.toString());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Map<String, NDArray> before = SafetensorsReader.readDirectory(base, manager, DataType.FLOAT32);
      Map<String, NDArray> after = SafetensorsReader.readDirectory(directory.resolve("own"), manager,
          DataType.FLOAT32);
      assertArrayEquals(before.get("model.layers.0.self_attn.q_proj.weight").toFloatArray(),
          after.get("model.layers.1.self_attn.q_proj.weight").toFloatArray());
    }
  }

  /** An added layer starts with a zero down projection: any non-zero weight there was learnt. */
  private static void assertDownProjectionLearnt(Map<String, NDArray> weights, int layer) {
    boolean learnt = false;
    for (float value : weights.get("model.layers." + layer + ".mlp.down_proj.weight").toFloatArray()) {
      learnt |= value != 0;
    }
    assertTrue(learnt, "added layer " + layer + "'s down projection is still zero");
  }

  private static void assertSameSamples(List<OwnSample> expected, List<OwnSample> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).responseIds(), actual.get(i).responseIds());
      assertEquals(expected.get(i).problem(), actual.get(i).problem());
      assertEquals(expected.get(i).correct(), actual.get(i).correct());
      assertEquals(expected.get(i).departure(), actual.get(i).departure());
    }
  }

  private static ModelConfig deeper(ModelConfig small, int layers) {
    return ModelConfig.llama(small.vocabSize(), small.hiddenSize(), small.intermediateSize(), layers,
        small.numHeads(), small.numKeyValueHeads(), small.maxPositionEmbeddings(),
        DemoChatFormat.idOf(DemoChatFormat.BOS), DemoChatFormat.idOf(DemoChatFormat.END));
  }
}
