package dev.languageranker.benchmarks.jmh;

import dev.languageranker.benchmarks.RankingWorkload;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerArchitecture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Groups of K candidates scored per second, one group at a time and in batches, from wire-format feature bytes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class RankingBenchmark {
  /** Groups per batched call, as the ranker service batches a poll's complete groups. */
  static final int BATCH = 256;

  @Param({"4096"}) int dim;

  @Param({"10"}) int k;

  @Param({"LISTWISE", "POINTWISE"}) RankerArchitecture architecture;

  @Param({"BFLOAT16"}) FeatureDtype dtype;

  private Ranker ranker;
  private List<FeatureGroup> groups;
  private int next;
  private int batchStart;

  @Setup
  public void load() throws Exception {
    ranker = RankingWorkload.untrainedRanker(architecture, dim, RankingWorkload.LAYER);
    groups = RankingWorkload.randomGroups(dim, k, dtype, 2 * BATCH, 11);
  }

  @TearDown
  public void close() {
    ranker.close();
  }

  @Benchmark
  public float[] scoreOneGroup() {
    next = (next + 1) % groups.size();
    return ranker.score(groups.get(next));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<float[]> scoreBatchOfGroups() {
    batchStart = batchStart == 0 ? BATCH : 0;
    return ranker.scoreBatch(groups.subList(batchStart, batchStart + BATCH));
  }
}
