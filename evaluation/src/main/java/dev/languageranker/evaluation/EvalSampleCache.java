package dev.languageranker.evaluation;

import dev.languageranker.generator.runtime.CandidateGenerator;
import dev.languageranker.generator.runtime.GeneratedCandidate;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.PromptGeneration;
import dev.languageranker.generator.runtime.SamplingOptions;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingSetWriter;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureEncoder;
import dev.languageranker.ranker.features.FeaturePooling;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Sampled candidates with features and labels for an evaluation, cached on disk as training shards (the trainer's
 * format), one file per pooling, named by everything that determines their content: the model (a fingerprint of its
 * directory), the problem set, the number of problems and samples, the seed, the sampling settings and the pooling.
 * One generation pass writes both poolings (the mean and the last-token state come from the same forward steps).
 */
public final class EvalSampleCache {
  private static final int PROMPTS_PER_BATCH = 4;

  /** How a candidate is labeled and keyed for voting. */
  interface Judge {
    boolean isCorrect(EvalProblem problem, String response);

    /** The normalized answer key, or null. */
    String answerKey(EvalProblem problem, String response);
  }

  /** Sampling settings that change the samples. */
  record Sampling(int samples, double temperature, int maxNewTokens, long seed) {}

  private final Path directory;
  private final Path modelDirectory;
  private final Supplier<LoadedModel> model;
  private final PrintWriter progress;
  private String modelFingerprint;

  EvalSampleCache(Path directory, Path modelDirectory, Supplier<LoadedModel> model, PrintWriter progress) {
    this.directory = directory;
    this.modelDirectory = modelDirectory;
    this.model = model;
    this.progress = progress;
  }

  /**
   * The shard of {@code problems} under {@code pooling}, generated (both poolings) when missing.
   *
   * @param setName names the problem set in the cache key (e.g. {@code demo-math-train} or the data file's hash)
   */
  Path shard(String setName, List<EvalProblem> problems, Sampling sampling, FeaturePooling pooling, Judge judge)
      throws IOException {
    Map<FeaturePooling, Path> paths = paths(setName, problems.size(), sampling);
    if (!Files.exists(paths.get(pooling))) {
      generate(setName, problems, sampling, judge, paths);
    }
    return paths.get(pooling);
  }

  private Map<FeaturePooling, Path> paths(String setName, int count, Sampling sampling) throws IOException {
    String key = String.format("%s-%s-n%d-s%d-t%s-m%d-seed%d", fingerprint(), setName, count, sampling.samples(),
        Double.toString(sampling.temperature()), sampling.maxNewTokens(), sampling.seed());
    Map<FeaturePooling, Path> paths = new EnumMap<>(FeaturePooling.class);
    for (FeaturePooling pooling : FeaturePooling.values()) {
      paths.put(pooling, directory.resolve(key + "-" + pooling.key() + ".lrts"));
    }
    return paths;
  }

  private void generate(String setName, List<EvalProblem> problems, Sampling sampling, Judge judge,
      Map<FeaturePooling, Path> paths) throws IOException {
    Files.createDirectories(directory);
    LoadedModel loaded = model.get();
    CandidateGenerator generator = new CandidateGenerator(loaded);
    int dim = loaded.config().hiddenSize();
    int layer = loaded.featureLayer();
    Map<FeaturePooling, Path> temporary = new EnumMap<>(FeaturePooling.class);
    Map<FeaturePooling, TrainingSetWriter> writers = new EnumMap<>(FeaturePooling.class);
    long started = System.nanoTime();
    try {
      for (FeaturePooling pooling : FeaturePooling.values()) {
        Path tmp = Files.createTempFile(directory, "partial-", ".lrts");
        temporary.put(pooling, tmp);
        writers.put(pooling, new TrainingSetWriter(tmp, FeatureDtype.FLOAT32, dim, layer, LabelType.BINARY, pooling));
      }
      for (int start = 0; start < problems.size(); start += PROMPTS_PER_BATCH) {
        List<EvalProblem> batch = problems.subList(start, Math.min(problems.size(), start + PROMPTS_PER_BATCH));
        SamplingOptions options = new SamplingOptions(sampling.samples(), sampling.temperature(), 1.0, 0,
            sampling.maxNewTokens(), List.of(), sampling.seed() * 1_000_003L + start);
        List<PromptGeneration> generations = generator.generateChat(batch.stream().map(EvalProblem::messages).toList(),
            options);
        for (int i = 0; i < batch.size(); i++) {
          write(batch.get(i), generations.get(i), judge, writers);
        }
        int done = Math.min(problems.size(), start + PROMPTS_PER_BATCH);
        if (progress != null && (done % 40 == 0 || done == problems.size())) {
          double seconds = (System.nanoTime() - started) / 1e9;
          progress.printf("eval: %s %d/%d problems sampled (%.0f samples/s)%n", setName, done, problems.size(),
              done * sampling.samples() / Math.max(seconds, 1e-9));
          progress.flush();
        }
      }
      for (TrainingSetWriter writer : writers.values()) {
        writer.close();
      }
      writers.clear();
      for (FeaturePooling pooling : FeaturePooling.values()) {
        Files.move(temporary.get(pooling), paths.get(pooling), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      for (TrainingSetWriter writer : writers.values()) {
        try {
          writer.close();
        } catch (IOException | UncheckedIOException e) {
          // Already failing; the partial file is deleted below.
        }
      }
      for (Path tmp : temporary.values()) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void write(EvalProblem problem, PromptGeneration generation, Judge judge,
      Map<FeaturePooling, TrainingSetWriter> writers)
      throws IOException {
    List<GeneratedCandidate> candidates = generation.candidates();
    int n = candidates.size();
    float[] labels = new float[n];
    float[] logProbs = new float[n];
    String[] keys = new String[n];
    int[] tokens = new int[n];
    for (int c = 0; c < n; c++) {
      GeneratedCandidate candidate = candidates.get(c);
      labels[c] = judge.isCorrect(problem, candidate.text()) ? 1f : 0f;
      logProbs[c] = (float) candidate.meanLogProb();
      keys[c] = judge.answerKey(problem, candidate.text());
      // As on the wire (Candidate.tokenCount): sampled tokens, EOS included.
      tokens[c] = candidate.tokenIds().length;
    }
    for (Map.Entry<FeaturePooling, TrainingSetWriter> entry : writers.entrySet()) {
      entry.getValue().add(problem.id(), vectors(generation, entry.getKey()), labels, logProbs, keys, tokens);
    }
  }

  private static byte[] vectors(PromptGeneration generation, FeaturePooling pooling) {
    int dim = generation.instructionFeature().length;
    List<GeneratedCandidate> candidates = generation.candidates();
    float[] all = new float[(1 + candidates.size()) * dim];
    System.arraycopy(generation.instructionFeature(), 0, all, 0, dim);
    for (int c = 0; c < candidates.size(); c++) {
      System.arraycopy(candidates.get(c).feature(pooling), 0, all, (1 + c) * dim, dim);
    }
    return FeatureEncoder.encode(all, FeatureDtype.FLOAT32);
  }

  private static boolean determinesSampling(Path file) {
    String name = file.getFileName().toString();
    return !name.endsWith(".md") && !name.endsWith(".jsonl");
  }

  /**
   * SHA-256 (first 16 hex digits) over the model directory's files that determine sampling (names, sizes and contents):
   * not the model card or evaluation outputs kept beside the weights ({@code .md}, {@code .jsonl}), whose edits would
   * otherwise throw away an hour of cached samples.
   */
  private String fingerprint() throws IOException {
    if (modelFingerprint != null) {
      return modelFingerprint;
    }
    try (Stream<Path> files = Files.list(modelDirectory)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files.filter(Files::isRegularFile).filter(EvalSampleCache::determinesSampling).sorted()
          .toList()) {
        digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        long size = Files.size(file);
        digest.update(Long.toString(size).getBytes(StandardCharsets.UTF_8));
        // Files up to 256 MiB (the demo model whole) by content; larger weights by size and modification time.
        if (size <= (256L << 20)) {
          digest.update(Files.readAllBytes(file));
        } else {
          digest.update(Files.getLastModifiedTime(file).toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      Path name = modelDirectory.toAbsolutePath().normalize().getFileName();
      modelFingerprint = (name == null ? "model" : name.toString()) + "-"
          + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
      return modelFingerprint;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

}
