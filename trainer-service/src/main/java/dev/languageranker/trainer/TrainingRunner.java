package dev.languageranker.trainer;

import ai.djl.ndarray.NDManager;
import dev.languageranker.events.GateReport;
import dev.languageranker.events.OffsetRange;
import dev.languageranker.events.RankerArchitecture;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.ReleaseLineage;
import dev.languageranker.events.StrategyMetric;
import dev.languageranker.events.TrainingDecision;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.ranker.bundle.BundleExpectations;
import dev.languageranker.ranker.bundle.BundleLoader;
import dev.languageranker.ranker.bundle.ModelBundle;
import dev.languageranker.ranker.bundle.Sha256;
import dev.languageranker.ranker.data.HoldoutSplit;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.eval.BootstrapInterval;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.train.RankerTrainer;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run of one rankerId: load its shards, train a challenger on the requests outside the hold-out, score
 * challenger and champion (the head of {@code lr.ranker-models}, or the fallback) on every held-out request, gate,
 * publish a promoted challenger with its lineage, and audit the run either way.
 */
final class TrainingRunner {
  private static final Logger log = LoggerFactory.getLogger(TrainingRunner.class);
  /** Loss-curve summary: mean loss of each of this many equal parts of the run. */
  private static final int LOSS_BUCKETS = 10;

  private final ChampionReader champions;
  private final RunSink sink;
  private final TrainerMetrics metrics;
  private final GateSettings gate;
  private final double holdoutFraction;
  private final Function<String, RankerHyperparameters> hyperparameters;
  private final String sourceTopic;

  TrainingRunner(ChampionReader champions, RunSink sink, TrainerMetrics metrics, GateSettings gate,
      double holdoutFraction,
      Function<String, RankerHyperparameters> hyperparameters, String sourceTopic) {
    this.champions = champions;
    this.sink = sink;
    this.metrics = metrics;
    this.gate = gate;
    this.holdoutFraction = holdoutFraction;
    this.hyperparameters = hyperparameters;
    this.sourceTopic = sourceTopic;
  }

  /** Runs and audits; returns the audit record. Throws after auditing a failure (the caller retries later). */
  TrainingRun run(RankerTrainingSet stored) throws Exception {
    Instant started = Instant.now();
    String runId = stored.rankerId() + "-" + UUID.randomUUID();
    ProcessMemory.resetPeak();
    RankerTrainingSet.Snapshot snapshot = null;
    Optional<RankerRelease> head = champions.head(stored.rankerId());
    try (NDManager manager = NDManager.newBaseManager()) {
      long t0 = System.nanoTime();
      TrainingSet set;
      stored.lock().lock();
      try {
        snapshot = stored.snapshot();
        set = ShardLoader.load(snapshot.files(), snapshot.dir(), manager);
      } finally {
        stored.lock().unlock();
      }
      try (set) {
        long loadMs = millisSince(t0);
        RankerHyperparameters hp = hyperparameters.apply(stored.rankerId());
        TrainingConfig config = hp.trainingConfig(holdoutFraction);
        List<Float> losses = new ArrayList<>();
        try (Ranker champion = head.isPresent() ? loadChampion(head.get(), snapshot) : null) {
          Long championVersion = head.map(RankerRelease::getVersion).orElse(null);
          ChallengerStart start = ChallengerStart.choose(hp.warmStart(), champion, Optional.ofNullable(championVersion),
              config, set);
          log.info("ranker {}: {}", stored.rankerId(), start.description());
          long t1 = System.nanoTime();
          try (TrainingResult result = new RankerTrainer().train(set, config,
              (step, total, loss, lr) -> losses.add(loss),
              start.initial())) {
            long trainMs = millisSince(t1);
            long t2 = System.nanoTime();
            HoldoutSplit split = new HoldoutSplit(holdoutFraction);
            int[] holdout = HoldoutScores.holdoutIndices(set, split::isHoldout);
            HoldoutScores scores = HoldoutScores.score(set, holdout, result.ranker(), champion);
            BootstrapInterval intervals = new BootstrapInterval(gate.resamples(), gate.confidence(), config.seed());
            GateReport report = new ReleaseGate(gate, intervals).decide(scores, championVersion);
            List<StrategyMetric> strategies = strategyMetrics(scores, intervals);
            long evaluateMs = millisSince(t2);
            long version = champions.nextVersion(stored.rankerId());
            ReleaseLineage lineage = lineage(snapshot, holdout.length, championVersion, report, start.warm());
            long publishMs = 0;
            if (report.getPassed()) {
              long t3 = System.nanoTime();
              RankerRelease release = release(result, snapshot, version, championVersion, lineage, strategies, started);
              sink.publish(release);
              champions.published(release);
              publishMs = millisSince(t3);
              log.info("ranker {} version {} published: {}", stored.rankerId(), version, report.getReason());
            } else {
              log.info("ranker {}: challenger not released: {}", stored.rankerId(), report.getReason());
            }
            TrainingDecision decision = report.getPassed() ? TrainingDecision.PUBLISHED : TrainingDecision.REJECTED;
            TrainingRun run = TrainingRun.newBuilder()
                .setRunId(runId).setRankerId(stored.rankerId()).setCandidateVersion(version)
                .setChampionVersion(championVersion)
                .setTrainGroups(result.trainingPrompts()).setHoldoutGroups(holdout.length)
                .setDurationMs(loadMs + trainMs + evaluateMs + publishMs)
                .setMetrics(challengerMetrics(strategies, holdout.length))
                .setChampionMetrics(championMetrics(strategies))
                .setDecision(decision).setReason(report.getReason() + "; " + start.description())
                .setStartedAt(started).setFinishedAt(Instant.now())
                .setTrainCandidates(snapshot.candidates()).setWindowRequests(snapshot.requests())
                .setLoadMs(loadMs).setTrainMs(trainMs).setEvaluateMs(evaluateMs).setPublishMs(publishMs)
                .setPeakRssMb(ProcessMemory.peakRssMb()).setLossCurve(lossCurve(losses)).setSteps(result.steps())
                .setWarmStart(start.warm()).setStrategies(strategies).setGate(report).setLineage(lineage).setError(null)
                .build();
            sink.audit(run);
            record(run);
            return run;
          }
        }
      }
    } catch (Exception e) {
      TrainingRun failed = TrainingRun.newBuilder()
          .setRunId(runId).setRankerId(stored.rankerId()).setCandidateVersion(champions.nextVersion(stored.rankerId()))
          .setChampionVersion(head.map(RankerRelease::getVersion).orElse(null))
          .setTrainGroups(0).setHoldoutGroups(0).setDurationMs(Instant.now().toEpochMilli() - started.toEpochMilli())
          .setDecision(TrainingDecision.FAILED).setReason("the run failed; the champion keeps serving: " + e)
          .setStartedAt(started).setFinishedAt(Instant.now())
          .setWindowRequests(snapshot == null ? 0 : snapshot.requests())
          .setPeakRssMb(ProcessMemory.peakRssMb()).setError(String.valueOf(e)).build();
      try {
        sink.audit(failed);
      } catch (Exception auditFailure) {
        e.addSuppressed(auditFailure);
      }
      record(failed);
      throw e;
    }
  }

  private void record(TrainingRun run) {
    metrics.run(run.getRankerId(), run.getDecision().name());
    metrics.phase(run.getRankerId(), "load", run.getLoadMs());
    metrics.phase(run.getRankerId(), "train", run.getTrainMs());
    metrics.phase(run.getRankerId(), "evaluate", run.getEvaluateMs());
    metrics.phase(run.getRankerId(), "publish", run.getPublishMs());
    metrics.phase(run.getRankerId(), "total", run.getDurationMs());
    for (StrategyMetric m : run.getStrategies()) {
      metrics.holdout(run.getRankerId(), m.getStrategy(), m.getValue());
    }
  }

  private static Ranker loadChampion(RankerRelease head, RankerTrainingSet.Snapshot snapshot) throws Exception {
    if (head.getFeatureDim() != snapshot.dim() || head.getFeatureLayer() != snapshot.layer()) {
      throw new IllegalStateException(
          "the champion (version " + head.getVersion() + ") reads dim " + head.getFeatureDim()
              + ", layer " + head.getFeatureLayer() + ", the training set has dim " + snapshot.dim() + ", layer "
              + snapshot.layer()
              + ": no paired comparison is possible");
    }
    byte[] bundle = bytes(head.getBundle());
    if (!Sha256.hex(bundle).equalsIgnoreCase(head.getSha256())) {
      throw new IllegalStateException(
          "the champion's bundle (version " + head.getVersion() + ") fails its SHA-256 check");
    }
    return BundleLoader.load(bundle, BundleExpectations.features(snapshot.dim(), snapshot.layer()));
  }

  private static List<StrategyMetric> strategyMetrics(HoldoutScores scores, BootstrapInterval intervals) {
    List<StrategyMetric> out = new ArrayList<>();
    scores.perStrategy().forEach((strategy, values) -> {
      boolean finite = values.length > 0 && java.util.Arrays.stream(values).allMatch(Double::isFinite);
      if (finite) {
        BootstrapInterval.Estimate e = intervals.mean(values);
        out.add(new StrategyMetric(strategy, e.estimate(), e.lower(), e.upper()));
      } else {
        out.add(new StrategyMetric(strategy, Double.NaN, Double.NaN, Double.NaN)); // reported as missing, never gated on
      }
    });
    return out;
  }

  private static Map<String, Double> challengerMetrics(List<StrategyMetric> strategies, int holdout) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (StrategyMetric s : strategies) {
      String name = s.getStrategy().equals(HoldoutScores.CHALLENGER) ? "holdout" : s.getStrategy();
      m.put(name + "_value", s.getValue());
    }
    m.put("holdout_requests", (double) holdout);
    return m;
  }

  private static Map<String, Double> championMetrics(List<StrategyMetric> strategies) {
    Map<String, Double> m = new LinkedHashMap<>();
    strategies.stream().filter(s -> s.getStrategy().equals(HoldoutScores.CHAMPION)).forEach(s -> {
      m.put("holdout_value", s.getValue());
      m.put("holdout_lower", s.getLower());
      m.put("holdout_upper", s.getUpper());
    });
    return m;
  }

  private ReleaseLineage lineage(RankerTrainingSet.Snapshot snapshot, int holdout, Long parent, GateReport report,
      boolean warmStart) {
    List<OffsetRange> ranges = snapshot.ranges().stream()
        .map(r -> new OffsetRange(sourceTopic, r.partition(), r.from(), r.to())).toList();
    return ReleaseLineage.newBuilder()
        .setParentVersion(parent).setTrainingOffsets(ranges).setTrainingRequests(snapshot.requests())
        .setHoldoutRule(String.format(Locale.ROOT,
            "held out when the first 53 bits of SHA-256(UTF-8 requestId), as a fraction of 2^53, are below %s",
            holdoutFraction))
        .setHoldoutFraction(holdoutFraction).setHoldoutRequests(holdout).setWarmStart(warmStart).setGate(report)
        .build();
  }

  private static RankerRelease release(TrainingResult result, RankerTrainingSet.Snapshot snapshot, long version,
      Long previous, ReleaseLineage lineage, List<StrategyMetric> strategies, Instant createdAt) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    String suffix = snapshot.labelType() == dev.languageranker.ranker.data.LabelType.BINARY ? "_accuracy"
        : "_mean_label";
    for (StrategyMetric s : strategies) {
      String name = s.getStrategy().equals(HoldoutScores.CHALLENGER) ? "holdout" : s.getStrategy();
      metrics.put(name + suffix, s.getValue());
    }
    metrics.put("holdout_requests", (double) lineage.getHoldoutRequests());
    ModelBundle bundle = ModelBundle.of(result, snapshot.rankerId(), version, createdAt,
        Map.of("windowRequests", snapshot.requests(), "windowCandidates", snapshot.candidates()));
    byte[] bytes = bundle.toBytes();
    return RankerRelease.newBuilder()
        .setRankerId(snapshot.rankerId()).setVersion(version)
        .setArchitecture(RankerArchitecture.valueOf(bundle.manifest().architecture().name()))
        .setBaseModelId(snapshot.baseModelId()).setFeatureLayer(snapshot.layer()).setFeatureDim(snapshot.dim())
        .setProjectionDim(bundle.manifest().projectionDim()).setParameterCount(bundle.manifest().parameterCount())
        .setBundle(ByteBuffer.wrap(bytes)).setSha256(Sha256.hex(bytes)).setMetrics(metrics)
        .setTrainingExamples(result.trainingGroups()).setPreviousVersion(previous).setRollbackOf(null)
        .setCreatedAt(createdAt).setPublishedAt(Instant.now()).setLineage(lineage).build();
  }

  static List<Float> lossCurve(List<Float> losses) {
    List<Float> curve = new ArrayList<>();
    int n = losses.size();
    int buckets = Math.min(LOSS_BUCKETS, n);
    for (int b = 0; b < buckets; b++) {
      int from = b * n / buckets;
      int to = (b + 1) * n / buckets;
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += losses.get(i);
      }
      curve.add((float) (sum / Math.max(1, to - from)));
    }
    return curve;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
