package dev.languageranker.demo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.generator.runtime.CausalLanguageModel;
import dev.languageranker.generator.runtime.ChatTemplate;
import dev.languageranker.generator.runtime.ForwardResult;
import dev.languageranker.generator.runtime.GenerationDefaults;
import dev.languageranker.generator.runtime.ModelConfig;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.ModelDirectoryWriter;
import dev.languageranker.generator.runtime.LayerWeights;
import dev.languageranker.generator.runtime.ModelWeights;
import dev.languageranker.generator.runtime.SafetensorsReader;
import dev.languageranker.generator.runtime.RuntimeOptions;
import dev.languageranker.generator.runtime.TensorDtype;
import dev.languageranker.generator.runtime.TextTokenizer;
import dev.languageranker.ranker.model.TensorScalars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains the demo model from scratch on CPU: builds its tokenizer from sample problems, then trains a small Llama
 * decoder on the responses of generated training problems (loss on the assistant's tokens only) with AdamW, a
 * warm-up and cosine decay, and gradient clipping; saves it in the Hugging Face layout.
 *
 * <p>Self-assessment: some responses are flawed ({@link SolutionPerturber}; not learnt as text, only read), and every
 * response's end marker is followed by a judgement token ({@link DemoChatFormat#JUDGED_RIGHT} or
 * {@link DemoChatFormat#JUDGED_WRONG}, by {@link DemoAnswerChecker}), which the model learns to predict at the end
 * marker, from its last layer and from the feature layer. So its hidden state at the end of a response encodes
 * whether the response is right, as large models' do; generation stops at the end marker and never sees a judgement.
 * The judged responses can instead be the base model's own samples labelled by the checker ({@link OwnSampleSource}),
 * since synthetic slips need not look like the model's own errors.
 */
public final class DemoModelTrainer {

  /** One progress report. */
  public record Progress(int step, int steps, double loss, double judgementLoss, double featureLayerJudgementLoss,
      double pairedLoss, double distillLoss, double learningRate, double secondsElapsed) {}

  private static final int MAX_POSITIONS = 256;
  private static final int TOKENIZER_SAMPLES = 20_000;
  public static final int CHECKPOINT_EVERY = 100;
  private static final int MAX_SKIPPED_IN_A_ROW = 20;
  private final DemoProblemSource problems = new DemoProblemSource();
  private final SolutionPerturber perturber = new SolutionPerturber();
  private final DemoAnswerChecker checker = new DemoAnswerChecker();

  /** Trains according to {@code plan} and writes the model directory; returns the final mean loss. */
  public double train(DemoTrainingPlan plan, Path output, Consumer<Progress> progress) throws IOException {
    return train(plan, output, null, null, progress);
  }

  /**
   * As {@link #train(DemoTrainingPlan, Path, Consumer)}, starting from the model in {@code init} when not null (its
   * tokenizer and weights; when the plan has more layers, fresh layers that start as the identity are inserted just
   * below the feature layer), and saving a full model directory every {@value #CHECKPOINT_EVERY} steps under
   * {@code checkpoints} when not null.
   */
  public double train(DemoTrainingPlan plan, Path output, Path checkpoints, Path init, Consumer<Progress> progress)
      throws IOException {
    return train(plan, output, checkpoints, init, null, progress);
  }

  /**
   * As {@link #train(DemoTrainingPlan, Path, Path, Path, Consumer)}, with the judged responses taken from
   * {@code ownSamples} (a base model's own samples, see {@link OwnSampleSource}) instead of synthetic slips when not
   * null: a share {@code flawedShare} of the rows are own samples (right and wrong ones with even odds), only read
   * and judged; the others are worked solutions learnt as text and not judged.
   */
  public double train(DemoTrainingPlan plan, Path output, Path checkpoints, Path init, List<OwnSample> ownSamples,
      Consumer<Progress> progress) throws IOException {
    return train(plan, output, checkpoints, init, ownSamples, null, progress);
  }

  /**
   * As {@link #train(DemoTrainingPlan, Path, Path, Path, List, Consumer)}; with a plan's distillation weight above 0
   * the next-token distribution is learnt from the frozen model in {@code teacher} (null: {@code init}).
   */
  public double train(DemoTrainingPlan plan, Path output, Path checkpoints, Path init, List<OwnSample> ownSamples,
      Path teacher, Consumer<Progress> progress) throws IOException {
    Path teacherDirectory = teacher != null ? teacher : init;
    if (plan.distillWeight() > 0 && teacherDirectory == null) {
      throw new IllegalArgumentException("Distillation needs a teacher model (or --init)");
    }
    if (plan.judgeOnTop() && init == null) {
      throw new IllegalArgumentException("Layers on top need a base model to start from");
    }
    if (ownSamples != null && (ownSamples.isEmpty() || plan.flawedShare() <= 0)) {
      throw new IllegalArgumentException("Training on own samples needs some samples and a share of them above 0");
    }
    Files.createDirectories(output);
    Random random = new Random(plan.seed());
    OwnSamplePool pool = ownSamples == null ? null : OwnSamplePool.of(ownSamples);
    Path tokenizerFile = output.resolve(ModelDirectory.TOKENIZER);
    if (init != null) {
      Files.copy(init.resolve(ModelDirectory.TOKENIZER), tokenizerFile, StandardCopyOption.REPLACE_EXISTING);
    } else {
      List<String> samples = new ArrayList<>();
      for (int i = 0; i < TOKENIZER_SAMPLES; i++) {
        DemoProblem problem = problems.nextTrain(i % 2 == 0 ? DemoTask.MATH : DemoTask.FUNCTION, random);
        samples.add(problem.system());
        samples.add(problem.user());
        samples.add(problem.targetResponse());
      }
      new DemoTokenizerBuilder(plan.merges()).write(samples, tokenizerFile);
    }
    int vocab = new ObjectMapper().readTree(tokenizerFile.toFile()).path("model").path("vocab").size();
    int eos = DemoChatFormat.idOf(DemoChatFormat.END);
    ModelConfig config = ModelConfig.llama(vocab, plan.hiddenSize(), plan.intermediateSize(), plan.layers(),
        plan.heads(), plan.kvHeads(), MAX_POSITIONS, DemoChatFormat.idOf(DemoChatFormat.BOS), eos);
    ChatTemplate template = new ChatTemplate(DemoChatFormat.TEMPLATE, DemoChatFormat.BOS, DemoChatFormat.END);
    int featureLayer = RuntimeOptions.defaults().resolveFeatureLayer(plan.layers());
    double finalLoss;
    try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      long[] judgements = {singleToken(tokenizer, DemoChatFormat.JUDGED_RIGHT),
          singleToken(tokenizer, DemoChatFormat.JUDGED_WRONG)};
      ModelWeights weights = ModelWeights.initialise(config, manager, plan.seed());
      if (init != null) {
        weights = startFrom(init, config, weights, featureLayer, plan.copyInsertedLayers(), plan.judgeOnTop(), manager);
      }
      int added = init == null ? 0
          : plan.layers() - ModelConfig.read(init.resolve(ModelDirectory.CONFIG)).numLayers();
      int firstAdded = plan.judgeOnTop() ? plan.layers() - added : featureLayer - added;
      // From a base model with inserted layers only those learn (unless the plan says the base learns too): the base
      // model's weights, and so what it writes, stay as they were, and the new layers learn to assess the response.
      List<NDArray> parameters = new ArrayList<>();
      if (added > 0 && !plan.baseLearns()) {
        weights.layers().subList(firstAdded, firstAdded + added).forEach(l -> parameters.addAll(l.parameters()));
      } else {
        parameters.addAll(weights.parameters());
      }
      List<NDArray[]> moments = new ArrayList<>();
      for (NDArray parameter : parameters) {
        parameter.setRequiresGradient(true);
        moments.add(new NDArray[]{manager.zeros(parameter.getShape()), manager.zeros(parameter.getShape())});
      }
      CausalLanguageModel model = new CausalLanguageModel(config, weights, manager);
      CausalLanguageModel teacherModel = plan.distillWeight() > 0 ? frozen(teacherDirectory, vocab, manager) : null;
      long start = System.nanoTime();
      double[] smoothed = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
      int skipped = 0;
      for (int step = 1; step <= plan.stopAfterStep(); step++) {
        double lr = learningRate(plan, step);
        double[] losses;
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          Batch batch = batch(plan, random, tokenizer, template, judgements, pool, manager);
          // The teacher's next-token distribution, a constant for the gradient.
          NDArray teacherLogProbs = teacherModel == null ? null
              : teacherModel.forward(batch.inputs(), batch.positions(), null, null, CausalLanguageModel.NO_CAPTURE,
                  true).logits().logSoftmax(-1).stopGradient();
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ForwardResult result = model.forward(batch.inputs(), batch.positions(), null, null, featureLayer, true);
            NDArray oneHot = batch.targets().oneHot(vocab);
            NDArray picked = result.logits().logSoftmax(-1).mul(oneHot).sum(new int[]{-1});
            NDArray lmLoss = maskedMean(picked, batch.responseMask());
            NDArray judgementLoss = maskedMean(picked, batch.judgementMask());
            // The running judgement read at every response token of the feature layer through the final norm and the
            // head's right-minus-wrong direction (a logit lens on two tokens): right so far, or wrong since the slip.
            NDArray direction = judgementDirection(weights, judgements);
            NDArray raw = rmsNorm(result.hiddenStates(), weights.finalNorm(), config.rmsNormEps())
                .matMul(direction).squeeze(-1);
            NDArray margin = raw.mul(batch.progressSign());
            // -log sigmoid(margin) = log(1 + exp(-margin)), clipped where exp would overflow
            // Departure marks are rare (one token of a wrong response): both classes then weigh the same in total.
            NDArray judged = batch.progressMask();
            if (plan.departureJudgement()) {
              NDArray wrong = batch.progressSign().lt(0f).toType(DataType.FLOAT32, false).mul(judged);
              NDArray right = judged.sub(wrong);
              judged = right.add(wrong.mul(right.sum().div(wrong.sum().maximum(1f))));
            }
            NDArray layerJudgementLoss = margin.neg().clip(-30, 30).exp().add(1f).log().mul(judged).sum()
                .div(judged.sum().maximum(1f));
            // Within-problem contrast: the judgement averaged over a right sample's response (as the mean-pooled feature
            // is) must exceed that of a wrong sample of the same problem.
            NDArray pooled = raw.mul(batch.poolMask()).sum(new int[]{1})
                .div(batch.poolMask().sum(new int[]{1}).maximum(1f));
            NDArray difference = batch.pairs().matMul(pooled.expandDims(1)).squeeze(-1);
            NDArray pairedLoss = difference.neg().clip(-30, 30).exp().add(1f).log().sum()
                .mul(TensorScalars.of(difference, batch.pairScale()));
            NDArray distillLoss = teacherLogProbs == null ? manager.create(0f)
                : teacherLogProbs.exp().mul(teacherLogProbs.sub(result.logits().logSoftmax(-1))).sum(new int[]{-1})
                    .mul(batch.distillMask()).sum().div(batch.distillMask().sum().maximum(1f));
            // With a teacher the text is not learnt: generation is to stay the teacher's.
            // Weights as PyTorch-owned scalars: autograd keeps a product's factor for the backward pass, and a
            // number overload's factor lives in Java memory a garbage collection may free first (TensorScalars).
            NDArray total = lmLoss.mul(TensorScalars.of(lmLoss, teacherLogProbs == null ? 1f : 0f))
                .add(distillLoss.mul(TensorScalars.of(lmLoss, (float) plan.distillWeight())))
                .add(judgementLoss.mul(TensorScalars.of(lmLoss, (float) plan.judgementWeight())))
                .add(layerJudgementLoss.mul(TensorScalars.of(lmLoss, (float) plan.featureLayerJudgementWeight())))
                .add(pairedLoss.mul(TensorScalars.of(lmLoss, (float) plan.pairedWeight())));
            losses = new double[]{lmLoss.getFloat(), judgementLoss.getFloat(), layerJudgementLoss.getFloat(),
                pairedLoss.getFloat(), distillLoss.getFloat()};
            collector.backward(total);
          }
          boolean finite = java.util.Arrays.stream(losses).allMatch(Double::isFinite);
          if (finite && adamW(parameters, moments, lr, step)) {
            skipped = 0;
          } else {
            // A non-finite loss or gradient would poison every weight through Adam's moments: drop the batch.
            zeroGradients(parameters);
            if (++skipped > MAX_SKIPPED_IN_A_ROW) {
              throw new IllegalStateException("Training diverged: " + skipped + " non-finite steps in a row (losses "
                  + java.util.Arrays.toString(losses) + ")");
            }
            losses = finite ? losses : smoothed.clone();
          }
        }
        for (int i = 0; i < smoothed.length; i++) {
          smoothed[i] = Double.isNaN(smoothed[i]) ? losses[i] : 0.95 * smoothed[i] + 0.05 * losses[i];
        }
        progress.accept(new Progress(step, plan.stopAfterStep(), smoothed[0], smoothed[1], smoothed[2], smoothed[3],
            smoothed[4], lr,
            (System.nanoTime() - start) / 1e9));
        if (checkpoints != null && step % CHECKPOINT_EVERY == 0 && step < plan.stopAfterStep()) {
          save(checkpoints.resolve("step-" + step), config, weights, tokenizerFile);
        }
      }
      finalLoss = smoothed[0];
      save(output, config, weights, tokenizerFile);
    }
    return finalLoss;
  }

  private static void save(Path directory, ModelConfig config, ModelWeights weights, Path tokenizerFile)
      throws IOException {
    Files.createDirectories(directory);
    if (!directory.resolve(ModelDirectory.TOKENIZER).equals(tokenizerFile)) {
      Files.copy(tokenizerFile, directory.resolve(ModelDirectory.TOKENIZER),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    int eos = DemoChatFormat.idOf(DemoChatFormat.END);
    ModelDirectoryWriter.write(directory, config, weights, TensorDtype.F32, DemoChatFormat.TEMPLATE,
        DemoChatFormat.BOS, DemoChatFormat.END, new GenerationDefaults(1.0, 1.0, 0, new int[]{eos}));
  }

  private static long singleToken(TextTokenizer tokenizer, String text) {
    long[] ids = tokenizer.encode(text);
    if (ids.length != 1) {
      throw new IllegalStateException("The judgement '" + text + "' is not one token in this tokenizer");
    }
    return ids[0];
  }

  /**
   * The weights of the model in {@code directory}, with fresh layers inserted so that the last of them is the feature
   * layer when {@code config} has more layers; their output projections start at zero, so each starts as the identity
   * and the model computes what the loaded one did. With {@code copyAbove}, an inserted layer's other weights are a
   * copy of the loaded layer it sits below in order (the first inserted one copies the loaded layer now above the
   * inserted ones, and so on): it starts reading what the base model's upper layers read to predict the next token.
   */
  static ModelWeights startFrom(Path directory, ModelConfig config, ModelWeights fresh, int featureLayer,
      boolean copyAbove, NDManager manager) throws IOException {
    return startFrom(directory, config, fresh, featureLayer, copyAbove, false, manager);
  }

  /**
   * As {@link #startFrom(Path, ModelConfig, ModelWeights, int, boolean, NDManager)}, or with {@code onTop} the fresh
   * layers go above all loaded ones, the feature layer being one of them (so it reads the loaded model's finished
   * computation); with {@code copyAbove} they then copy the loaded model's last layers in order.
   */
  static ModelWeights startFrom(Path directory, ModelConfig config, ModelWeights fresh, int featureLayer,
      boolean copyAbove, boolean onTop, NDManager manager) throws IOException {
    ModelConfig loadedConfig = ModelConfig.read(directory.resolve(ModelDirectory.CONFIG));
    int added = config.numLayers() - loadedConfig.numLayers();
    if (added < 0 || loadedConfig.hiddenSize() != config.hiddenSize()
        || loadedConfig.intermediateSize() != config.intermediateSize()
        || loadedConfig.numHeads() != config.numHeads() || loadedConfig.numKeyValueHeads() != config.numKeyValueHeads()
        || loadedConfig.vocabSize() != config.vocabSize()) {
      throw new IllegalArgumentException("The model in " + directory + " does not match the plan's sizes "
          + "(same hidden, heads, intermediate and vocabulary, at most as many layers)");
    }
    ModelWeights loaded = ModelWeights.fromHuggingFace(loadedConfig,
        SafetensorsReader.readDirectory(directory, manager, DataType.FLOAT32));
    List<LayerWeights> layers = new ArrayList<>();
    int firstAdded = onTop ? loadedConfig.numLayers() : featureLayer - added;
    if (onTop && (added < 1 || featureLayer <= firstAdded)) {
      throw new IllegalArgumentException("With layers on top the feature layer must be one of the added layers: "
          + config.numLayers() + " layers put it at " + featureLayer + ", among the loaded model's " + firstAdded);
    }
    for (int i = 0; i < config.numLayers(); i++) {
      if (i >= firstAdded && i < firstAdded + added) {
        int source = onTop ? Math.max(0, loadedConfig.numLayers() - added + (i - firstAdded))
            : Math.min(i, loaded.layers().size() - 1);
        LayerWeights f = copyAbove ? copyOf(loaded.layers().get(source)) : fresh.layers().get(i);
        layers.add(new LayerWeights(f.inputNorm(), f.q(), f.qBias(), f.k(), f.kBias(), f.v(), f.vBias(),
            f.o().zerosLike(), f.postAttentionNorm(), f.gate(), f.up(), f.down().zerosLike()));
      } else {
        layers.add(copyOf(loaded.layers().get(i < firstAdded ? i : i - added)));
      }
    }
    return new ModelWeights(copy(loaded.embedTokens()), layers, copy(loaded.finalNorm()), copy(loaded.lmHead()));
  }

  private static LayerWeights copyOf(LayerWeights l) {
    return new LayerWeights(copy(l.inputNorm()), copy(l.q()), copy(l.qBias()), copy(l.k()), copy(l.kBias()),
        copy(l.v()), copy(l.vBias()), copy(l.o()), copy(l.postAttentionNorm()), copy(l.gate()), copy(l.up()),
        copy(l.down()));
  }

  /** A writable copy: loaded tensors may share a read-only mapping of the file, and training updates in place. */
  /** The model in {@code directory}, for reading only (a distillation teacher). */
  private static CausalLanguageModel frozen(Path directory, int vocab, NDManager manager) throws IOException {
    ModelConfig teacherConfig = ModelConfig.read(directory.resolve(ModelDirectory.CONFIG));
    if (teacherConfig.vocabSize() != vocab) {
      throw new IllegalArgumentException("The teacher in " + directory + " has another vocabulary ("
          + teacherConfig.vocabSize() + " tokens, not " + vocab + ")");
    }
    ModelWeights teacherWeights = ModelWeights.fromHuggingFace(teacherConfig,
        SafetensorsReader.readDirectory(directory, manager, DataType.FLOAT32));
    return new CausalLanguageModel(teacherConfig, teacherWeights, manager);
  }

  private static NDArray copy(NDArray array) {
    return array == null ? null : array.duplicate();
  }

  /** Negative mean of the picked log-probs where {@code mask} is 1. */
  private static NDArray maskedMean(NDArray picked, NDArray mask) {
    return picked.mul(mask).sum().neg().div(mask.sum().maximum(1f));
  }

  private static NDArray head(NDArray normed, ModelWeights weights) {
    return weights.lmHead() == null ? normed.matMul(weights.embedTokens().transpose())
        : normed.matMul(weights.lmHead());
  }

  /** {@code [hidden, 1]}: the head's column of the right judgement minus the wrong one's, as a one-hot difference. */
  private static NDArray judgementDirection(ModelWeights weights, long[] judgements) {
    NDManager manager = weights.embedTokens().getManager();
    long vocab = weights.embedTokens().getShape().get(0);
    float[] difference = new float[(int) vocab];
    difference[(int) judgements[0]] = 1f;
    difference[(int) judgements[1]] = -1f;
    NDArray oneHot = manager.create(difference, new Shape(1, vocab));
    return weights.lmHead() == null ? oneHot.matMul(weights.embedTokens()).transpose()
        : weights.lmHead().matMul(oneHot.transpose());
  }

  /** Llama's RMSNorm, as the runtime's decoder applies it before the head. */
  private static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
    NDArray variance = x.pow(TensorScalars.of(x, 2f)).mean(new int[]{-1}, true);
    return x.div(variance.add((float) eps).sqrt()).mul(weight);
  }

  /**
   * Token ids with the loss masks: {@code responseMask} on the response tokens of rows learnt as text (and their end
   * marker), {@code judgementMask} on each end marker's position, whose next token is the judgement;
   * {@code progressMask} on every response token (the end marker included) of the judged rows, with {@code progressSign}
   * +1 where the response is right so far and -1 from the first token where a wrong response departs from the worked
   * solution (the end marker: the checker's verdict); {@code poolMask} on the judged rows' response tokens without the
   * end marker (what the mean-pooled feature averages); {@code pairs} {@code [pairs, rows]}, +1 at the right row and -1
   * at the wrong row of each within-problem pair, and {@code pairScale} one over their number (0 without pairs).
   */
  private record Batch(NDArray inputs, NDArray positions, NDArray targets, NDArray responseMask,
      NDArray judgementMask, NDArray progressMask, NDArray progressSign, NDArray poolMask, NDArray pairs,
      float pairScale, NDArray distillMask) {}

  /**
   * One training sequence before it becomes tensors: prompt and response tokens (the response ends with the end
   * marker when it has one), whether its response is learnt as text, whether it is judged (running judgement, and
   * the judgement token after its end marker), the response index where it departs, and the checker's verdict.
   */
  private record Row(long[] prompt, long[] response, boolean learnt, boolean judged, int departure, boolean correct) {}

  /**
   * The own samples split by verdict: a judged row is a right or a wrong one with even odds (when there are both), so
   * that the rarer verdict (function calls are mostly right) is not drowned; within-problem ranking does not depend on
   * the prior this shifts.
   */
  private record OwnSamplePool(List<OwnSample> right, List<OwnSample> wrong, List<List<OwnSample>[]> mixed) {
    @SuppressWarnings("unchecked")
    static OwnSamplePool of(List<OwnSample> samples) {
      java.util.Map<String, List<OwnSample>[]> byProblem = new java.util.LinkedHashMap<>();
      for (OwnSample sample : samples) {
        List<OwnSample>[] both = byProblem.computeIfAbsent(sample.problem().task() + "|" + sample.problem().user(),
            k -> new List[]{new ArrayList<>(), new ArrayList<>()});
        both[sample.correct() ? 0 : 1].add(sample);
      }
      return new OwnSamplePool(samples.stream().filter(OwnSample::correct).toList(),
          samples.stream().filter(s -> !s.correct()).toList(),
          byProblem.values().stream().filter(b -> !b[0].isEmpty() && !b[1].isEmpty()).toList());
    }

    /** A right and a wrong sample of one problem. */
    OwnSample[] drawPair(Random random) {
      List<OwnSample>[] both = mixed.get(random.nextInt(mixed.size()));
      return new OwnSample[]{both[0].get(random.nextInt(both[0].size())), both[1].get(random.nextInt(both[1].size()))};
    }

    OwnSample draw(Random random) {
      List<OwnSample> from = wrong.isEmpty() || (!right.isEmpty() && random.nextBoolean()) ? right : wrong;
      return from.get(random.nextInt(from.size()));
    }
  }

  private Batch batch(DemoTrainingPlan plan, Random random, TextTokenizer tokenizer, ChatTemplate template,
      long[] judgements, OwnSamplePool ownSamples, NDManager manager) {
    List<Row> rows = new ArrayList<>();
    List<int[]> pairs = new ArrayList<>();
    boolean paired = ownSamples != null && plan.pairedWeight() > 0 && !ownSamples.mixed().isEmpty();
    for (int b = 0; b < plan.batchSize(); b++) {
      if (paired && b + 1 < plan.batchSize() && random.nextDouble() < plan.flawedShare()) {
        // a right and a wrong sample of one problem, side by side: both judged, and contrasted with each other
        OwnSample[] pair = ownSamples.drawPair(random);
        pairs.add(new int[]{b, b + 1});
        rows.add(ownRow(pair[0], tokenizer, template));
        rows.add(ownRow(pair[1], tokenizer, template));
        b++;
      } else {
        rows.add(ownSamples == null ? syntheticRow(plan, random, tokenizer, template)
            : ownSampleRow(plan, random, tokenizer, template, ownSamples));
      }
    }
    return tensors(rows, pairs, judgements, plan.departureJudgement(), manager);
  }

  /**
   * A worked solution learnt as text (a share {@code habitualMistakeShare} of those that have a place for it with the
   * habitual mistake), or (a share {@code flawedShare}) a flawed one only read; all judged.
   */
  private Row syntheticRow(DemoTrainingPlan plan, Random random, TextTokenizer tokenizer, ChatTemplate template) {
    DemoTask task = random.nextDouble() < plan.mathShare() ? DemoTask.MATH : DemoTask.FUNCTION;
    DemoProblem problem = problems.nextTrain(task, random);
    // No draw without flawed responses, so a plan without them sees the same problems as the first demo model did.
    boolean isFlawed = plan.flawedShare() > 0 && random.nextDouble() < plan.flawedShare();
    String text = isFlawed ? perturber.perturb(problem, random) : problem.targetResponse();
    boolean learnt = !isFlawed;
    if (!isFlawed && plan.habitualMistakeShare() > 0) {
      Optional<String> habit = perturber.habitualMistake(problem);
      if (habit.isPresent() && random.nextDouble() < plan.habitualMistakeShare()) {
        text = habit.get();
      }
    }
    boolean correct = text.equals(problem.targetResponse()) || checker.isCorrect(task, text, problem.reference());
    long[] prompt = tokenizer.encode(template.render(problem.messages(), true));
    long[] response = tokenizer.encode(text + DemoChatFormat.END);
    int departure = response.length;
    if (!correct) {
      long[] worked = tokenizer.encode(problem.targetResponse() + DemoChatFormat.END);
      departure = 0;
      while (departure < response.length && departure < worked.length && response[departure] == worked[departure]) {
        departure++;
      }
    }
    return new Row(prompt, response, learnt, true, departure, correct);
  }

  /**
   * One of the model's own samples, right or wrong, only read and judged (a share {@code flawedShare} of the rows);
   * otherwise a worked solution learnt as text and not judged: it keeps the inserted layers from disturbing what the
   * base model writes, while the judgement is learnt on the model's own responses only.
   */
  private Row ownSampleRow(DemoTrainingPlan plan, Random random, TextTokenizer tokenizer, ChatTemplate template,
      OwnSamplePool ownSamples) {
    if (random.nextDouble() < plan.flawedShare()) {
      return ownRow(ownSamples.draw(random), tokenizer, template);
    }
    DemoTask task = random.nextDouble() < plan.mathShare() ? DemoTask.MATH : DemoTask.FUNCTION;
    DemoProblem problem = problems.nextTrain(task, random);
    long[] prompt = tokenizer.encode(template.render(problem.messages(), true));
    long[] response = tokenizer.encode(problem.targetResponse() + DemoChatFormat.END);
    return new Row(prompt, response, true, false, response.length, true);
  }

  private static Row ownRow(OwnSample sample, TextTokenizer tokenizer, ChatTemplate template) {
    long[] prompt = tokenizer.encode(template.render(sample.problem().messages(), true));
    return new Row(prompt, sample.responseIds(), false, true, sample.departure(), sample.correct());
  }

  private static Batch tensors(List<Row> rows, List<int[]> pairs, long[] judgements, boolean departureOnly,
      NDManager manager) {
    int end = DemoChatFormat.idOf(DemoChatFormat.END);
    List<long[]> sequences = new ArrayList<>();
    List<Boolean> hasJudgement = new ArrayList<>();
    int longest = 0;
    for (Row row : rows) {
      long[] prompt = row.prompt();
      long[] response = row.response();
      boolean ended = response.length > 0 && response[response.length - 1] == end;
      // The judgement follows the end marker: a training-only token that generation never reaches.
      long[] sequence = new long[Math.min(prompt.length + response.length + (ended && row.judged() ? 1 : 0),
          MAX_POSITIONS)];
      System.arraycopy(prompt, 0, sequence, 0, Math.min(prompt.length, sequence.length));
      if (prompt.length < sequence.length) {
        System.arraycopy(response, 0, sequence, prompt.length,
            Math.min(response.length, sequence.length - prompt.length));
      }
      boolean judged = ended && row.judged() && prompt.length + response.length < sequence.length;
      if (judged) {
        sequence[sequence.length - 1] = row.correct() ? judgements[0] : judgements[1];
      }
      hasJudgement.add(judged);
      sequences.add(sequence);
      longest = Math.max(longest, sequence.length);
    }
    int count = rows.size();
    long[] inputs = new long[count * longest];
    long[] positions = new long[count * longest];
    long[] targets = new long[count * longest];
    float[] responseMask = new float[count * longest];
    float[] judgementMask = new float[count * longest];
    float[] progressMask = new float[count * longest];
    float[] progressSign = new float[count * longest];
    float[] poolMask = new float[count * longest];
    float[] distillMask = new float[count * longest];
    for (int r = 0; r < count; r++) {
      Row row = rows.get(r);
      long[] sequence = sequences.get(r);
      int promptLength = row.prompt().length;
      int responseEnd = Math.min(sequence.length, promptLength + row.response().length);
      for (int t = 0; t < longest; t++) {
        int i = r * longest + t;
        positions[i] = t;
        if (t >= sequence.length) {
          continue;
        }
        inputs[i] = sequence[t];
        boolean hasTarget = t + 1 < sequence.length;
        targets[i] = hasTarget ? sequence[t + 1] : 0;
        boolean judgement = hasJudgement.get(r) && t + 2 == sequence.length;
        // Only rows learnt as text have a loss on their tokens; the prompt is given, other responses only read.
        responseMask[i] = hasTarget && !judgement && row.learnt() && t + 1 >= promptLength ? 1f : 0f;
        judgementMask[i] = judgement ? 1f : 0f;
        // The running judgement at every response token, the end marker included.
        boolean inResponse = row.judged() && t >= promptLength && t < responseEnd;
        progressMask[i] = inResponse ? 1f : 0f;
        boolean atEnd = sequence[t] == end && t == promptLength + row.response().length - 1;
        boolean wrongSoFar = atEnd ? !row.correct()
            : departureOnly ? t - promptLength == row.departure() : t - promptLength >= row.departure();
        progressSign[i] = wrongSoFar ? -1f : 1f;
        poolMask[i] = inResponse && !atEnd ? 1f : 0f;
        // every position whose next token is part of the response, the end marker included: what sampling draws from
        distillMask[i] = t + 1 >= promptLength && t + 1 < responseEnd ? 1f : 0f;
      }
    }
    float[] pairMatrix = new float[Math.max(1, pairs.size()) * count];
    for (int p = 0; p < pairs.size(); p++) {
      pairMatrix[p * count + pairs.get(p)[0]] = 1f;
      pairMatrix[p * count + pairs.get(p)[1]] = -1f;
    }
    Shape shape = new Shape(count, longest);
    return new Batch(manager.create(inputs, shape), manager.create(positions, shape), manager.create(targets, shape),
        manager.create(responseMask, shape), manager.create(judgementMask, shape), manager.create(progressMask, shape),
        manager.create(progressSign, shape), manager.create(poolMask, shape),
        manager.create(pairMatrix, new Shape(Math.max(1, pairs.size()), count)),
        pairs.isEmpty() ? 0f : 1f / pairs.size(), manager.create(distillMask, shape));
  }

  /** Linear warm-up over the first 5% of steps, then cosine decay to a tenth. */
  static double learningRate(DemoTrainingPlan plan, int step) {
    int warmup = Math.max(1, plan.steps() / 20);
    if (step <= warmup) {
      return plan.learningRate() * step / warmup;
    }
    double progress = (double) (step - warmup) / Math.max(1, plan.steps() - warmup);
    return plan.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  private static void zeroGradients(List<NDArray> parameters) {
    for (NDArray parameter : parameters) {
      // Filled, not subtracted from itself: a non-finite gradient minus itself stays NaN and would poison every
      // later step, which accumulate into it.
      parameter.getGradient().set(new NDIndex("..."), 0);
    }
  }

  /**
   * AdamW (beta 0.9/0.95, weight decay 0.01 on matrices) after clipping the global gradient norm to 1; returns
   * false, changing nothing, when the gradient is not finite.
   */
  private static boolean adamW(List<NDArray> parameters, List<NDArray[]> moments, double lr, int step) {
    double squared = 0;
    for (NDArray parameter : parameters) {
      squared += parameter.getGradient().pow(2).sum().getFloat();
    }
    double norm = Math.sqrt(squared);
    if (!Double.isFinite(norm)) {
      return false;
    }
    double clip = norm > 1.0 ? 1.0 / norm : 1.0;
    double beta1 = 0.9;
    double beta2 = 0.95;
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    for (int i = 0; i < parameters.size(); i++) {
      NDArray parameter = parameters.get(i);
      NDArray gradient = parameter.getGradient().mul((float) clip);
      NDArray m = moments.get(i)[0];
      NDArray v = moments.get(i)[1];
      m.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
      v.muli((float) beta2).addi(gradient.pow(2).mul((float) (1 - beta2)));
      NDArray update = m.div((float) correction1)
          .div(v.div((float) correction2).sqrt().add(1e-8f))
          .mul((float) lr);
      if (parameter.getShape().dimension() > 1) {
        parameter.muli((float) (1 - lr * 0.01));
      }
      parameter.subi(update);
      parameter.getGradient().set(new NDIndex("..."), 0);
    }
    return true;
  }
}
