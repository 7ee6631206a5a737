package dev.languageranker.benchmarks;

import dev.languageranker.cli.common.JsonLine;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the JMH micro benchmarks (ranking, training, math verification) and prints one JSON line per result. */
@Command(name = "jmh", mixinStandardHelpOptions = true,
    description = {"Runs the JMH micro benchmarks of ranking (RankingBenchmark), training (TrainingBenchmark) and math",
        "verification (MathVerificationBenchmark); one JSON line per benchmark and parameter set, with the machine's",
        "load. JMH's own progress goes to stderr."})
public final class BenchJmhCommand implements Callable<Integer> {
  private static final String PACKAGE = "dev.languageranker.benchmarks.jmh.";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", defaultValue = ".*",
      description = "Regular expression over benchmark names, e.g. Ranking or MathVerification (default: all).") String include;

  @Option(names = "--forks", description = "JMH forks per benchmark (default: each benchmark's own, 1).") Integer forks;

  @Option(names = "--warmup-iterations",
      description = "Warm-up iterations (default: each benchmark's own).") Integer warmupIterations;

  @Option(names = "--iterations",
      description = "Measurement iterations (default: each benchmark's own).") Integer iterations;

  @Option(names = "--iteration-seconds",
      description = "Seconds per timed iteration (default: each benchmark's own).") Double iterationSeconds;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
      description = "Overrides a benchmark parameter (repeatable), e.g. -p dim=1024 -p architecture=LISTWISE.") Map<String, String> params = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder().include(PACKAGE + ".*" + include + ".*");
    if (forks != null) {
      options.forks(require(forks, 0, "--forks"));
    }
    if (warmupIterations != null) {
      options.warmupIterations(require(warmupIterations, 0, "--warmup-iterations"));
    }
    if (iterations != null) {
      options.measurementIterations(require(iterations, 1, "--iterations"));
    }
    if (iterationSeconds != null) {
      if (!(iterationSeconds > 0)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--iteration-seconds must be positive");
      }
      TimeValue time = TimeValue.milliseconds(Math.round(iterationSeconds * 1000));
      options.measurementTime(time).warmupTime(time);
    }
    params.forEach(options::param);
    double loadBefore = MachineLoad.loadAverage();
    // JMH's progress and summary table go to stderr, so stdout holds only the JSON lines.
    Collection<RunResult> results;
    try {
      results = new Runner(options.build(),
          OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run();
    } catch (NoBenchmarksException e) {
      results = List.of();
    }
    if (results.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no benchmark matches '" + include
          + "' (RankingBenchmark, TrainingBenchmark, MathVerificationBenchmark)");
    }
    for (RunResult run : results) {
      Result<?> primary = run.getPrimaryResult();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("bench", "jmh");
      json.put("benchmark", run.getParams().getBenchmark().substring(PACKAGE.length()));
      json.put("mode", run.getParams().getMode().shortLabel());
      Map<String, String> values = new LinkedHashMap<>();
      for (String key : run.getParams().getParamsKeys()) {
        values.put(key, run.getParams().getParam(key));
      }
      json.put("params", values);
      json.put("score", JsonLine.round(primary.getScore(), 3));
      json.put("error_99_9", Double.isNaN(primary.getScoreError()) ? null : JsonLine.round(primary.getScoreError(), 3));
      json.put("unit", primary.getScoreUnit());
      json.put("samples", primary.getSampleCount());
      json.put("forks", run.getParams().getForks());
      json.put("cores", MachineLoad.cores());
      json.put("load_avg_1m_before", JsonLine.round(loadBefore, 2));
      json.put("load_avg_1m_after", JsonLine.round(MachineLoad.loadAverage(), 2));
      spec.commandLine().getOut().println(JsonLine.of(json));
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  private int require(int value, int least, String option) {
    if (value < least) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at least " + least);
    }
    return value;
  }
}
