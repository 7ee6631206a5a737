package dev.languageranker.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.generator.runtime.CandidateGenerator;
import dev.languageranker.generator.runtime.GeneratedCandidate;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.PromptGeneration;
import dev.languageranker.generator.runtime.SamplingOptions;
import dev.languageranker.generator.runtime.StopReason;
import dev.languageranker.generator.runtime.TextTokenizer;
import dev.languageranker.ranker.bundle.Sha256;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The self-assessment stage's judged responses taken from a base model's own samples instead of synthetic slips: K
 * responses per distinct training problem (never a held-out one) at temperature 1 with the generator's own sampler
 * ({@link CandidateGenerator}), each labelled by {@link DemoAnswerChecker}, with the token where a wrong one first
 * leaves the worked solution. Seeded; the samples can be cached in a JSONL file whose first line records the model and
 * settings they came from, so a run with other ones samples again.
 */
public final class OwnSampleSource {

  /**
   * What is sampled: {@code problems} distinct training problems, {@code k} responses each of at most
   * {@code maxNewTokens}, a share of math, a seed.
   */
  public record Settings(int problems, int k, double mathShare, long seed, int maxNewTokens) {
    public Settings {
      if (problems < 1 || k < 1 || mathShare < 0 || mathShare > 1 || maxNewTokens < 1) {
        throw new IllegalArgumentException("need at least one problem, sample and new token, and a math share in "
            + "[0, 1]");
      }
    }

    /** With {@value #MAX_NEW_TOKENS} new tokens, as base-eval and eval sample. */
    public Settings(int problems, int k, double mathShare, long seed) {
      this(problems, k, mathShare, seed, MAX_NEW_TOKENS);
    }
  }

  /** The sampling temperature: the one the generator, base-eval and eval sample at. */
  public static final double TEMPERATURE = 1.0;
  /** New tokens per sample, as base-eval and eval allow. */
  public static final int MAX_NEW_TOKENS = 96;
  private static final int PROMPTS_PER_BATCH = 8;
  private static final String KIND = "demo-own-samples/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DemoProblemSource source = new DemoProblemSource();
  private final DemoAnswerChecker checker = new DemoAnswerChecker();

  /** Samples {@code settings} from {@code model}; {@code progress} hears a line now and then. */
  public List<OwnSample> sample(LoadedModel model, Settings settings, Consumer<String> progress) {
    List<DemoProblem> problems = problems(settings);
    CandidateGenerator generator = new CandidateGenerator(model);
    List<OwnSample> samples = new ArrayList<>();
    long start = System.nanoTime();
    for (int first = 0; first < problems.size(); first += PROMPTS_PER_BATCH) {
      List<DemoProblem> batch = problems.subList(first, Math.min(problems.size(), first + PROMPTS_PER_BATCH));
      SamplingOptions options = new SamplingOptions(settings.k(), TEMPERATURE, 1.0, 0, settings.maxNewTokens(),
          List.of(),
          settings.seed() * 1_000_003L + first);
      List<PromptGeneration> generations = generator.generateChat(batch.stream().map(DemoProblem::messages).toList(),
          options);
      for (int i = 0; i < batch.size(); i++) {
        for (GeneratedCandidate candidate : generations.get(i).candidates()) {
          samples.add(label(batch.get(i), candidate.tokenIds(), candidate.stopReason() == StopReason.EOS,
              candidate.text(), model.tokenizer()));
        }
      }
      int done = first + batch.size();
      if (done % (10 * PROMPTS_PER_BATCH) == 0 || done == problems.size()) {
        progress.accept(String.format(Locale.ROOT, "own samples: %d/%d problems (%.0f samples/s)", done,
            problems.size(), samples.size() / ((System.nanoTime() - start) / 1e9)));
      }
    }
    progress.accept(summary(samples));
    return samples;
  }

  /**
   * The samples cached in {@code file} when it was written for this model and these settings, else freshly sampled
   * and written there.
   */
  public List<OwnSample> cached(Path file, LoadedModel model, Settings settings, Consumer<String> progress)
      throws IOException {
    ObjectNode header = header(model.directory(), settings);
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file);
      // compared as text: read back, a long that fits an int is another kind of node
      if (!lines.isEmpty() && lines.get(0).equals(JSON.writeValueAsString(header))) {
        List<OwnSample> samples = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
          samples.add(read(JSON.readTree(line)));
        }
        progress.accept("own samples: read " + samples.size() + " from " + file);
        progress.accept(summary(samples));
        return samples;
      }
      progress.accept("own samples: " + file + " is for another model or settings; sampling again");
    }
    List<OwnSample> samples = sample(model, settings, progress);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".part");
    try (BufferedWriter out = Files.newBufferedWriter(partial)) {
      out.write(JSON.writeValueAsString(header));
      out.newLine();
      for (OwnSample sample : samples) {
        out.write(JSON.writeValueAsString(write(sample, model.tokenizer())));
        out.newLine();
      }
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return samples;
  }

  /** The distinct training problems sampled for: the same for the same settings, none from the held-out split. */
  List<DemoProblem> problems(Settings settings) {
    Random random = new Random(settings.seed());
    List<DemoProblem> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int attempts = 0;
    while (problems.size() < settings.problems()) {
      if (++attempts > 100 * settings.problems() + 1000) {
        throw new IllegalStateException("fewer than " + settings.problems() + " distinct training problems");
      }
      DemoTask task = random.nextDouble() < settings.mathShare() ? DemoTask.MATH : DemoTask.FUNCTION;
      DemoProblem problem = source.nextTrain(task, random);
      if (seen.add(task.label() + "|" + problem.user())) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /** One sampled response with the checker's verdict on its text and, when wrong, where it departs. */
  OwnSample label(DemoProblem problem, long[] ids, boolean endsWithEnd, String text, TextTokenizer tokenizer) {
    boolean correct = checker.isCorrect(problem.task(), text, problem.reference());
    int departure = correct ? ids.length : departure(tokenizer, ids, endsWithEnd, workedSolutions(problem));
    return new OwnSample(problem, ids, endsWithEnd, correct, departure);
  }

  /**
   * The first token whose text takes the response off every worked solution (the text so far is no longer a prefix of
   * one); the end marker when the response stops short of a whole worked solution; {@code ids.length} when it never
   * departs. By text rather than by token, so that a different split of the same text into tokens is no departure.
   */
  static int departure(TextTokenizer tokenizer, long[] ids, boolean endsWithEnd, List<String> workedSolutions) {
    int content = endsWithEnd ? ids.length - 1 : ids.length;
    for (int i = 0; i < content; i++) {
      String prefix = tokenizer.decodeSkippingSpecial(Arrays.copyOf(ids, i + 1));
      if (workedSolutions.stream().noneMatch(w -> w.startsWith(prefix))) {
        return i;
      }
    }
    if (endsWithEnd && !workedSolutions.contains(tokenizer.decodeSkippingSpecial(Arrays.copyOf(ids, content)))) {
      return content;
    }
    return ids.length;
  }

  /**
   * The texts a right response can be: the worked solution, which is deterministic for both tasks (math: one equation
   * per event in order; calls: one fixed JSON layout), and for two calls also the other order, which the checker
   * accepts too.
   */
  static List<String> workedSolutions(DemoProblem problem) {
    if (problem.task() == DemoTask.MATH) {
      return List.of(problem.targetResponse());
    }
    try {
      ArrayNode calls = (ArrayNode) JSON.readTree(problem.targetResponse());
      if (calls.size() != 2) {
        return List.of(problem.targetResponse());
      }
      ArrayNode swapped = JSON.createArrayNode().add(calls.get(1)).add(calls.get(0));
      return List.of(problem.targetResponse(), FunctionCallProblemGenerator.format(swapped));
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException("Not a list of calls: " + problem.targetResponse(), e);
    }
  }

  /** Per task: samples, share right, share of problems with both right and wrong samples. */
  static String summary(List<OwnSample> samples) {
    StringBuilder out = new StringBuilder("own samples:");
    for (DemoTask task : DemoTask.values()) {
      List<OwnSample> of = samples.stream().filter(s -> s.problem().task() == task).toList();
      if (of.isEmpty()) {
        continue;
      }
      long right = of.stream().filter(OwnSample::correct).count();
      java.util.Map<String, Set<Boolean>> outcomes = new java.util.HashMap<>();
      of.forEach(s -> outcomes.computeIfAbsent(s.problem().user(), u -> new HashSet<>()).add(s.correct()));
      long mixed = outcomes.values().stream().filter(o -> o.size() == 2).count();
      out.append(String.format(Locale.ROOT, " %s %d samples, %.3f right, %d of %d problems mixed;", task.label(),
          of.size(), (double) right / of.size(), mixed, outcomes.size()));
    }
    return out.toString();
  }

  private static ObjectNode header(Path modelDirectory, Settings settings) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.put("kind", KIND);
    header.put("model_sha256", Sha256.hex(Files.readAllBytes(modelDirectory.resolve("model.safetensors"))));
    header.put("tokenizer_sha256", Sha256.hex(Files.readAllBytes(modelDirectory.resolve(ModelDirectory.TOKENIZER))));
    header.put("problems", settings.problems());
    header.put("k", settings.k());
    header.put("math_share", settings.mathShare());
    header.put("seed", settings.seed());
    header.put("temperature", TEMPERATURE);
    header.put("max_new_tokens", settings.maxNewTokens());
    return header;
  }

  private static ObjectNode write(OwnSample sample, TextTokenizer tokenizer) {
    ObjectNode line = JSON.createObjectNode();
    DemoProblem problem = sample.problem();
    line.put("task", problem.task().label());
    line.put("system", problem.system());
    line.put("user", problem.user());
    line.put("target", problem.targetResponse());
    line.put("reference", problem.reference());
    ArrayNode tokens = line.putArray("tokens");
    for (long id : sample.responseIds()) {
      tokens.add(id);
    }
    line.put("ends_with_end", sample.endsWithEnd());
    line.put("correct", sample.correct());
    line.put("departure", sample.departure());
    // for a reader of the file only
    line.put("text", tokenizer.decodeSkippingSpecial(sample.responseIds()));
    return line;
  }

  private static OwnSample read(JsonNode line) {
    DemoTask task = line.path("task").asText().equals(DemoTask.MATH.label()) ? DemoTask.MATH : DemoTask.FUNCTION;
    DemoProblem problem = new DemoProblem(task, line.path("system").asText(), line.path("user").asText(),
        line.path("target").asText(), line.path("reference").asText());
    JsonNode tokens = line.path("tokens");
    long[] ids = new long[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tokens.get(i).asLong();
    }
    return new OwnSample(problem, ids, line.path("ends_with_end").asBoolean(), line.path("correct").asBoolean(),
        line.path("departure").asInt());
  }
}
