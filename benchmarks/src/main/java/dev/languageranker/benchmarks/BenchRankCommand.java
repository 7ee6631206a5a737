package dev.languageranker.benchmarks;

import dev.languageranker.cli.common.JsonLine;
import dev.languageranker.cli.common.TorchEngine;
import dev.languageranker.cli.common.TorchThreadOptions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerArchitecture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Inference benchmark: groups ranked per second one at a time and in batches, single-group latency,
 * and the achieved GFLOP/s next to the machine's measured float32 matmul GFLOP/s. Inputs are feature
 * bytes as they arrive on the wire, so decoding is part of every measurement.
 */
@Command(name = "rank", mixinStandardHelpOptions = true, description = "Time scoring groups of K candidates.")
public final class BenchRankCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--dim", defaultValue = "4096",
      description = "Feature dimension. Default: ${DEFAULT-VALUE}.") int dim;

  @Option(names = "--k", defaultValue = "10", description = "Candidates per group. Default: ${DEFAULT-VALUE}.") int k;

  @Option(names = "--batch", defaultValue = "256",
      description = "Groups per batched call. Default: ${DEFAULT-VALUE}.") int batch;

  @Option(names = "--clients", defaultValue = "2",
      description = "Threads calling scoreBatch at once in the batched phase (a service's stream threads; the ranker is"
          + " thread-safe). Default: ${DEFAULT-VALUE}, one per core of this machine.") int clients;

  @Option(names = "--seconds", defaultValue = "5",
      description = "Measuring time per phase. Default: ${DEFAULT-VALUE}.") double seconds;

  @Option(names = "--architecture", defaultValue = "LISTWISE",
      description = "LISTWISE or POINTWISE. Default: ${DEFAULT-VALUE}.") RankerArchitecture architecture;

  @Option(names = "--dtype", defaultValue = "BFLOAT16",
      description = "Feature dtype of the inputs. Default: ${DEFAULT-VALUE}.") FeatureDtype dtype;

  @Mixin TorchThreadOptions torchThreads;

  private static final int LAYER = RankingWorkload.LAYER;
  private static final int DISTINCT_GROUPS = 512;

  @Override
  public Integer call() throws Exception {
    validate();
    torchThreads.startEngine(spec.commandLine());
    try (Ranker ranker = RankingWorkload.untrainedRanker(architecture, dim, LAYER)) {
      List<FeatureGroup> groups = RankingWorkload.randomGroups(dim, k, dtype, DISTINCT_GROUPS, 11);
      long flopsPerGroup = ranker.network().forwardFlops(k);

      // Warm up the JIT and PyTorch's allocator on both paths.
      runSingle(ranker, groups, 1.0, null);
      runBatched(ranker, groups, 1.0);

      List<Double> latenciesMs = new ArrayList<>();
      double singlePerSecond = runSingle(ranker, groups, seconds, latenciesMs);
      double loadAverage = MachineLoad.loadAverage();
      long cpuBefore = MachineLoad.processCpuNanos();
      long wallBefore = System.nanoTime();
      double batchedPerSecond = runBatched(ranker, groups, seconds);
      double batchedCpuCores = (MachineLoad.processCpuNanos() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
      double[] sorted = latenciesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double matmulGflops = measureMatmul(1024, 1024, 1024);
      double projectionGflops = measureMatmul((long) batch * (k + 1), dim, ranker.config().projectionDim());

      Map<String, Object> json = new LinkedHashMap<>();
      json.put("bench", "rank");
      json.put("dim", dim);
      json.put("k", k);
      json.put("groups_per_s_single", JsonLine.round(singlePerSecond, 1));
      json.put("groups_per_s_batched", JsonLine.round(batchedPerSecond, 1));
      json.put("p50_ms", JsonLine.round(percentile(sorted, 0.50), 3));
      json.put("p99_ms", JsonLine.round(percentile(sorted, 0.99), 3));
      json.put("matmul_gflops", JsonLine.round(matmulGflops, 1));
      json.put("ranker_gflops", JsonLine.round(flopsPerGroup * batchedPerSecond / 1e9, 1));
      json.put("params", ranker.weights().parameterCount());
      json.put("projection_matmul_gflops", JsonLine.round(projectionGflops, 1));
      json.put("flops_per_group", flopsPerGroup);
      json.put("batch", batch);
      json.put("clients", clients);
      json.put("architecture", architecture.name());
      json.put("dtype", dtype.name());
      json.put("threads", TorchEngine.intraOpThreads());
      json.put("latency_samples", sorted.length);
      json.put("cores", MachineLoad.cores());
      json.put("load_avg_1m", JsonLine.round(loadAverage, 2));
      // Cores this process kept busy while batching; with cores >> this, other work took the rest.
      json.put("batched_cpu_cores", JsonLine.round(batchedCpuCores, 2));
      json.put("groups_per_cpu_s_batched", JsonLine.round(batchedPerSecond / batchedCpuCores, 1));
      spec.commandLine().getOut().println(JsonLine.of(json));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private static double runSingle(Ranker ranker, List<FeatureGroup> groups, double seconds, List<Double> latenciesMs) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long done = 0;
    while (System.nanoTime() < end) {
      long before = System.nanoTime();
      ranker.score(groups.get((int) (done % groups.size())));
      if (latenciesMs != null) {
        latenciesMs.add((System.nanoTime() - before) / 1e6);
      }
      done++;
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }

  /** Groups per second with {@code clients} threads each scoring batches until the time is up. */
  private double runBatched(Ranker ranker, List<FeatureGroup> groups, double seconds) throws Exception {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int firstOffset = c * batch;
        results.add(pool.submit(() -> {
          long done = 0;
          int offset = firstOffset % groups.size();
          while (System.nanoTime() < end) {
            List<FeatureGroup> slice = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
              slice.add(groups.get((offset + i) % groups.size()));
            }
            offset = (offset + batch) % groups.size();
            ranker.scoreBatch(slice);
            done += batch;
          }
          return done;
        }));
      }
      long done = 0;
      for (Future<Long> result : results) {
        done += result.get();
      }
      return done / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Best of several timed float32 (m x n) * (n x p) products, in GFLOP/s. */
  private static double measureMatmul(long m, long n, long p) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomNormal(new Shape(m, n));
      NDArray b = manager.randomNormal(new Shape(n, p));
      a.matMul(b).close();
      double best = 0;
      for (int round = 0; round < 5; round++) {
        int reps = 0;
        long start = System.nanoTime();
        do {
          a.matMul(b).close();
          reps++;
        } while (System.nanoTime() - start < 200_000_000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        best = Math.max(best, 2.0 * m * n * p * reps / elapsed / 1e9);
      }
      return best;
    }
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)];
  }

  private void validate() {
    require(dim >= 2, "--dim must be at least 2");
    require(k >= 1, "--k must be at least 1");
    require(batch >= 1, "--batch must be positive");
    require(clients >= 1, "--clients must be positive");
    require(seconds > 0, "--seconds must be positive");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
