package dev.languageranker.benchmarks.jmh;

import dev.languageranker.benchmarks.MathAnswerMix;
import dev.languageranker.labeler.verify.MathAnswerVerifier;
import dev.languageranker.labeler.verify.MathReference;
import dev.languageranker.labeler.verify.Verification;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Math verdicts per second on one thread over the seeded mix of answer forms that {@code bench verify-math} uses. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MathVerificationBenchmark {
  private MathAnswerVerifier verifier;
  private List<String[]> cases;
  private int next;

  @Setup
  public void draw() {
    verifier = new MathAnswerVerifier(1e-6, Duration.ofSeconds(1));
    cases = MathAnswerMix.cases(14, 2000);
  }

  @Benchmark
  public Verification verifyOneAnswer() {
    String[] c = cases.get(next);
    next = (next + 1) % cases.size();
    return verifier.verify(c[0], new MathReference(c[1]));
  }
}
