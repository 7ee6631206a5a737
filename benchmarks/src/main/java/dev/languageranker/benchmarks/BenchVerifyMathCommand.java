package dev.languageranker.benchmarks;

import dev.languageranker.cli.common.DurationConverter;
import dev.languageranker.cli.common.JsonLine;

import dev.languageranker.labeler.verify.MathAnswerVerifier;
import dev.languageranker.labeler.verify.MathReference;
import dev.languageranker.labeler.verify.Verdict;
import dev.languageranker.labeler.verify.Verification;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Math verifier throughput on one thread: verdicts per second and the time per verdict over a seeded mix of answer
 * forms as models write them (worked solutions ending in a boxed answer, equal and near-miss answers in every form the
 * verifier handles), after a warm-up.
 */
@Command(name = "verify-math", mixinStandardHelpOptions = true,
    description = "Time math verdicts on one thread over a mix of answer forms; one JSON line.")
public final class BenchVerifyMathCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--seconds", defaultValue = "5",
      description = "Measuring time. Default: ${DEFAULT-VALUE}.") double seconds;

  @Option(names = "--warmup-seconds", defaultValue = "3",
      description = "Warm-up time (JIT). Default: ${DEFAULT-VALUE}.") double warmupSeconds;

  @Option(names = "--cases", defaultValue = "2000",
      description = "Distinct (response, reference) pairs. Default: ${DEFAULT-VALUE}.") int cases;

  @Option(names = "--seed", defaultValue = "14", description = "Seed of the mix. Default: ${DEFAULT-VALUE}.") long seed;

  @Option(names = "--relative-tolerance", defaultValue = "1e-6",
      description = "Tolerance for decimals. Default: ${DEFAULT-VALUE}.") double relativeTolerance;

  @Option(names = "--time-limit", defaultValue = "1s", converter = DurationConverter.class,
      description = "Time limit per verdict. Default: ${DEFAULT-VALUE}.") Duration timeLimit;

  @Override
  public Integer call() {
    if (!(seconds > 0) || warmupSeconds < 0 || cases < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--seconds must be > 0, --warmup-seconds >= 0, --cases >= 1");
    }
    MathAnswerVerifier verifier = new MathAnswerVerifier(relativeTolerance, timeLimit);
    List<String[]> work = MathAnswerMix.cases(seed, cases);
    run(verifier, work, warmupSeconds, null);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double loadAverage = MachineLoad.loadAverage();
    long cpuBefore = threads.getCurrentThreadCpuTime();
    long wallBefore = System.nanoTime();
    Map<String, Integer> verdicts = new TreeMap<>();
    List<long[]> times = run(verifier, work, seconds, verdicts);
    double wall = (System.nanoTime() - wallBefore) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
    long[] sorted = times.stream().mapToLong(t -> t[0]).sorted().toArray();
    long[] sortedCpu = times.stream().mapToLong(t -> t[1]).sorted().toArray();

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("bench", "verify-math");
    json.put("verdicts", sorted.length);
    // Wall-clock rate on a possibly shared machine, and the rate per second of CPU this thread got: one core's throughput.
    json.put("verdicts_per_s", JsonLine.round(sorted.length / wall, 1));
    json.put("verdicts_per_cpu_s", JsonLine.round(sorted.length / cpuSeconds, 1));
    json.put("thread_cpu_share", JsonLine.round(cpuSeconds / wall, 2));
    json.put("p50_ms", JsonLine.round(percentile(sorted, 0.50), 3));
    json.put("p99_ms", JsonLine.round(percentile(sorted, 0.99), 3));
    json.put("max_ms", JsonLine.round(sorted[sorted.length - 1] / 1e6, 3));
    // CPU time per verdict: what the verifier costs, without the waits of a shared machine.
    json.put("p50_cpu_ms", JsonLine.round(percentile(sortedCpu, 0.50), 3));
    json.put("p99_cpu_ms", JsonLine.round(percentile(sortedCpu, 0.99), 3));
    json.put("threads", 1);
    json.put("distinct_cases", cases);
    Map<String, Integer> weights = new LinkedHashMap<>();
    MathAnswerMix.FORMS.forEach(f -> weights.put(f.name(), f.weight()));
    json.put("mix_percent", weights);
    json.put("mix", MathAnswerMix.DESCRIPTION);
    json.put("verdict_counts", verdicts);
    json.put("relative_tolerance", relativeTolerance);
    json.put("time_limit_ms", timeLimit.toMillis());
    json.put("cores", MachineLoad.cores());
    json.put("load_avg_1m", JsonLine.round(loadAverage, 2));
    json.put("measured_at", Instant.now().toString());
    spec.commandLine().getOut().println(JsonLine.of(json));
    return 0;
  }

  /** Verifies round-robin for {@code seconds}; per verdict its wall and thread CPU nanoseconds. */
  private static List<long[]> run(MathAnswerVerifier verifier, List<String[]> work, double seconds,
      Map<String, Integer> verdicts) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<long[]> times = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int i = 0;
    while (System.nanoTime() < end) {
      String[] c = work.get(i++ % work.size());
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      Verification v = verifier.verify(c[0], new MathReference(c[1]));
      long wall = System.nanoTime() - start;
      times.add(new long[]{wall, threads.getCurrentThreadCpuTime() - cpu});
      if (verdicts != null) {
        verdicts.merge(v.verdict().wireName(), 1, Integer::sum);
      }
      if (v.verdict() == Verdict.ERROR) {
        throw new IllegalStateException("math verifier error: " + v.detail());
      }
    }
    return times;
  }

  private static double percentile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
