package dev.languageranker.benchmarks.jmh;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetReader;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranker.train.RankerTrainer;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingProgressListener;
import dev.languageranker.ranker.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a training shard and training a ranker on it with the default configuration, one shot per iteration: the
 * paper's "67 s including loading" on MBPP (374 prompts, 100 candidates each), here on synthetic features with a
 * planted signal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class TrainingBenchmark {
  @Param({"374"}) int queries;

  @Param({"100"}) int samples;

  @Param({"4096"}) int dim;

  private Path shard;

  @Setup
  public void writeShard() throws Exception {
    shard = Files.createTempFile("language-ranker-jmh-", ".lrts");
    new SyntheticFeatures(queries, samples, dim, 19, FeatureDtype.BFLOAT16, 2.0f, false, 1).writeTo(shard);
  }

  @TearDown
  public void deleteShard() throws Exception {
    Files.deleteIfExists(shard);
  }

  @Benchmark
  public double loadAndTrain() throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet set = TrainingSetReader.read(shard, manager);
        TrainingResult result = new RankerTrainer().train(set, TrainingConfig.defaults(),
            TrainingProgressListener.NONE)) {
      return result.finalLoss();
    }
  }
}
