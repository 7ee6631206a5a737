package dev.languageranker.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.platform.kafka.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON the page draws ({@code /api/state}): the pipeline graph with each edge's lag, every group, the lag and
 * throughput history, quality over time per rankerId, versions and training runs, markers for releases, rejections
 * and rollbacks, the retraining outlook, answer latency and dead letters. Pure: built from a snapshot, the history
 * and the records seen.
 */
public final class DashboardState {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Outcomes behind the live accuracy gauges. */
  static final int ROLLING = 200;
  static final long QUALITY_BUCKET_MILLIS = 30_000;
  static final long LATENCY_WINDOW_MILLIS = 5 * 60_000;
  static final List<String> STRATEGIES = List.of("served", "first_sample", "majority_vote", "mean_logprob", "oracle");

  private DashboardState() {}

  /** The trainer's retrain trigger, as configured: this many new labeled requests, or this long since a run. */
  public record RetrainTrigger(int newRequests, long intervalMillis) {}

  public static ObjectNode render(LagSnapshot snapshot, List<LagHistory.Point> history, PipelineRecords.View records,
      long windowMillis, RetrainTrigger trigger, String error) {
    ObjectNode state = JSON.createObjectNode();
    state.put("at", snapshot == null ? System.currentTimeMillis() : snapshot.atMillis());
    state.put("cluster", snapshot == null ? "" : snapshot.cluster());
    state.put("windowSeconds", windowMillis / 1000.0);
    state.put("timeLag", "exact: the age of the record at the committed offset, read from its timestamp; values "
        + "marked ~ are interpolated from the end offsets seen (the record could not be read)");
    if (error != null) {
      state.put("error", error);
    }
    if (snapshot != null) {
      state.set("graph", graph(snapshot));
      ArrayNode groups = state.putArray("groups");
      snapshot.groups().forEach(g -> groups.add(JSON.valueToTree(g)));
      ObjectNode throughput = state.putObject("throughput");
      for (String group : List.of(PipelineGraph.GENERATOR, PipelineGraph.RANKER, PipelineGraph.LABELER,
          PipelineGraph.TRAINER)) {
        String topic = PipelineGraph.outputOf(group);
        throughput.put(group, snapshot.topicProduceRates().getOrDefault(topic, 0.0));
      }
    }
    state.set("history", history(history));
    state.set("quality", quality(records));
    state.set("accuracy", JSON.valueToTree(accuracies(records)));
    state.set("latency", JSON.valueToTree(latencyQuantiles(records, state.get("at").asLong())));
    state.set("versions", versions(records));
    state.set("runs", runs(records));
    state.set("markers", markers(records));
    state.set("retrain", retrain(records, snapshot, trigger, state.get("at").asLong()));
    ArrayNode dead = state.putArray("deadLetters");
    records.deadLettersByReason().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> dead.addObject().put("reason", e.getKey()).put("count", e.getValue()));
    state.put("answers", records.answers());
    state.put("labeledAnswers", records.outcomes().size());
    return state;
  }

  private static ObjectNode graph(LagSnapshot snapshot) {
    ObjectNode graph = JSON.createObjectNode();
    ArrayNode nodes = graph.putArray("nodes");
    PipelineGraph.nodes().forEach(n -> nodes.add(JSON.valueToTree(n)));
    ArrayNode edges = graph.putArray("edges");
    for (PipelineGraph.Edge edge : PipelineGraph.edges(snapshot)) {
      ObjectNode e = JSON.valueToTree(edge);
      if (edge.group() != null) {
        TopicLag lag = snapshot.edge(edge.group(), edge.topic());
        GroupLag group = snapshot.group(edge.group());
        if (lag != null) {
          e.put("lag", lag.sumLag()).put("lagSeconds", lag.maxLagSeconds()).put("exact", lag.exactSeconds())
              .put("consumeRate", lag.consumeRate()).put("produceRate", lag.produceRate())
              .put("catchUpSeconds", lag.catchUpSeconds()).put("status", lag.status().name())
              .put("groupState", group.state()).put("members", group.members());
        } else {
          e.put("status", "ABSENT");
        }
      } else {
        e.put("produceRate", snapshot.topicProduceRates().getOrDefault(edge.topic(), 0.0));
      }
      edges.add(e);
    }
    return graph;
  }

  private static ObjectNode history(List<LagHistory.Point> points) {
    ObjectNode history = JSON.createObjectNode();
    ArrayNode t = history.putArray("t");
    TreeSet<String> edgeKeys = new TreeSet<>();
    TreeSet<String> topics = new TreeSet<>();
    points.forEach(p -> {
      edgeKeys.addAll(p.edges().keySet());
      topics.addAll(p.rates().keySet());
    });
    ObjectNode seconds = history.putObject("lagSeconds");
    ObjectNode records = history.putObject("lagRecords");
    ObjectNode rates = history.putObject("produceRates");
    Map<String, ArrayNode> secondsArrays = new HashMap<>();
    Map<String, ArrayNode> recordArrays = new HashMap<>();
    Map<String, ArrayNode> rateArrays = new HashMap<>();
    edgeKeys.forEach(k -> {
      secondsArrays.put(k, seconds.putArray(k));
      recordArrays.put(k, records.putArray(k));
    });
    topics.forEach(k -> rateArrays.put(k, rates.putArray(k)));
    for (LagHistory.Point p : points) {
      t.add(p.t() / 1000.0);
      for (String k : edgeKeys) {
        double[] v = p.edges().get(k);
        if (v == null) {
          secondsArrays.get(k).addNull();
          recordArrays.get(k).addNull();
        } else {
          secondsArrays.get(k).add(v[1]);
          recordArrays.get(k).add(v[0]);
        }
      }
      for (String k : topics) {
        Double v = p.rates().get(k);
        if (v == null) {
          rateArrays.get(k).addNull();
        } else {
          rateArrays.get(k).add(v);
        }
      }
    }
    return history;
  }

  /** Per rankerId, accuracy per 30 s bucket of answer time for every strategy, with the bucket's size. */
  private static ObjectNode quality(PipelineRecords.View records) {
    Map<String, TreeMap<Long, double[]>> buckets = new TreeMap<>();
    for (ServedOutcome o : records.outcomes()) {
      long bucket = o.answeredAt() / QUALITY_BUCKET_MILLIS * QUALITY_BUCKET_MILLIS;
      double[] sums = buckets.computeIfAbsent(o.rankerId(), k -> new TreeMap<>())
          .computeIfAbsent(bucket, k -> new double[6]);
      sums[0] += o.served();
      sums[1] += o.firstSample();
      sums[2] += o.majorityVote();
      sums[3] += o.meanLogProb();
      sums[4] += o.oracle();
      sums[5]++;
    }
    ObjectNode quality = JSON.createObjectNode();
    buckets.forEach((rankerId, series) -> {
      ObjectNode r = quality.putObject(rankerId);
      ArrayNode t = r.putArray("t");
      List<ArrayNode> arrays = new ArrayList<>();
      STRATEGIES.forEach(s -> arrays.add(r.putArray(s)));
      ArrayNode n = r.putArray("n");
      series.forEach((bucket, sums) -> {
        t.add((bucket + QUALITY_BUCKET_MILLIS / 2) / 1000.0);
        for (int i = 0; i < STRATEGIES.size(); i++) {
          arrays.get(i).add(Math.round(sums[i] / sums[5] * 1000) / 1000.0);
        }
        n.add((long) sums[5]);
      });
    });
    return quality;
  }

  /** Live accuracy per rankerId and strategy over its latest {@link #ROLLING} labeled answers. */
  public static Map<String, Map<String, Double>> accuracies(PipelineRecords.View records) {
    Map<String, List<ServedOutcome>> byRanker = new TreeMap<>();
    records.outcomes().forEach(o -> byRanker.computeIfAbsent(o.rankerId(), k -> new ArrayList<>()).add(o));
    Map<String, Map<String, Double>> result = new TreeMap<>();
    byRanker.forEach((rankerId, all) -> {
      List<ServedOutcome> recent = all.subList(Math.max(0, all.size() - ROLLING), all.size());
      double[] sums = new double[5];
      recent.forEach(o -> {
        sums[0] += o.served();
        sums[1] += o.firstSample();
        sums[2] += o.majorityVote();
        sums[3] += o.meanLogProb();
        sums[4] += o.oracle();
      });
      Map<String, Double> byStrategy = new LinkedHashMap<>();
      for (int i = 0; i < STRATEGIES.size(); i++) {
        byStrategy.put(STRATEGIES.get(i), Math.round(sums[i] / recent.size() * 1000) / 1000.0);
      }
      result.put(rankerId, byStrategy);
    });
    return result;
  }

  /** Percentiles of answer latency (the ranker's) and of prompt-to-answer time over the last five minutes. */
  public static Map<String, Double> latencyQuantiles(PipelineRecords.View records, long now) {
    List<long[]> recent = records.latencies().stream().filter(l -> l[0] >= now - LATENCY_WINDOW_MILLIS).toList();
    Map<String, Double> q = new LinkedHashMap<>();
    if (recent.isEmpty()) {
      return q;
    }
    long[] ranker = recent.stream().mapToLong(l -> l[1]).sorted().toArray();
    long[] total = recent.stream().mapToLong(l -> l[2]).sorted().toArray();
    for (double p : new double[]{0.5, 0.9, 0.99}) {
      q.put(String.valueOf(p), (double) total[(int) Math.min(total.length - 1, Math.floor(p * total.length))]);
    }
    q.put("ranker_0.5", (double) ranker[ranker.length / 2]);
    return q;
  }

  private static ArrayNode versions(PipelineRecords.View records) {
    Map<String, List<ReleaseInfo>> byRanker = new TreeMap<>();
    records.releases().forEach(r -> byRanker.computeIfAbsent(r.rankerId(), k -> new ArrayList<>()).add(r));
    ArrayNode versions = JSON.createArrayNode();
    byRanker.forEach((rankerId, releases) -> {
      ObjectNode v = versions.addObject().put("rankerId", rankerId);
      ReleaseInfo head = releases.get(releases.size() - 1);
      if (head.retired()) {
        v.putNull("active");
      } else {
        v.put("active", head.version());
      }
      // The ranker service keeps the active version and the two before it, for instant rollback.
      ArrayNode kept = v.putArray("kept");
      List<Long> seen = new ArrayList<>();
      for (int i = releases.size() - 2; i >= 0 && seen.size() < 2; i--) {
        long version = releases.get(i).version();
        if (version >= 0 && version != head.version() && !seen.contains(version)) {
          seen.add(version);
          kept.add(version);
        }
      }
      ArrayNode all = v.putArray("releases");
      releases.forEach(r -> all.add(JSON.valueToTree(r)));
    });
    return versions;
  }

  private static ArrayNode runs(PipelineRecords.View records) {
    ArrayNode runs = JSON.createArrayNode();
    List<RunInfo> sorted = new ArrayList<>(records.runs());
    sorted.sort(Comparator.comparingLong(RunInfo::finishedAt).reversed());
    sorted.stream().limit(50).forEach(r -> runs.add(JSON.valueToTree(r)));
    return runs;
  }

  private static ArrayNode markers(PipelineRecords.View records) {
    ArrayNode markers = JSON.createArrayNode();
    for (ReleaseInfo r : records.releases()) {
      if (r.retired()) {
        markers.addObject().put("t", r.publishedAt() / 1000.0).put("kind", "retired")
            .put("label", r.rankerId() + " retired").put("rankerId", r.rankerId());
      } else if (r.rollbackOf() != null) {
        markers.addObject().put("t", r.publishedAt() / 1000.0).put("kind", "rollback")
            .put("label", r.rankerId() + " rollback to v" + r.version()).put("rankerId", r.rankerId());
      } else {
        markers.addObject().put("t", r.publishedAt() / 1000.0).put("kind", "release")
            .put("label", r.rankerId() + " v" + r.version() + " released").put("rankerId", r.rankerId());
      }
    }
    for (RunInfo run : records.runs()) {
      if (run.decision().equals("REJECTED")) {
        markers.addObject().put("t", run.finishedAt() / 1000.0).put("kind", "rejected")
            .put("label", run.rankerId() + " v" + run.candidateVersion() + " rejected").put("rankerId", run.rankerId());
      }
    }
    return markers;
  }

  /**
   * Per rankerId: labeled requests since its last run toward the trainer's trigger, and the ETA of the next run:
   * the sooner of the count trigger at the recent rate of training examples and the time trigger.
   */
  private static ObjectNode retrain(PipelineRecords.View records, LagSnapshot snapshot, RetrainTrigger trigger,
      long now) {
    ObjectNode retrain = JSON.createObjectNode();
    Map<String, List<RunInfo>> runsByRanker = new TreeMap<>();
    records.runs().forEach(r -> runsByRanker.computeIfAbsent(r.rankerId(), k -> new ArrayList<>()).add(r));
    TreeSet<String> rankers = new TreeSet<>(records.exampleTimes().keySet());
    rankers.addAll(runsByRanker.keySet());
    for (String rankerId : rankers) {
      List<RunInfo> runs = new ArrayList<>(runsByRanker.getOrDefault(rankerId, List.of()));
      runs.sort(Comparator.comparingLong(RunInfo::startedAt));
      long lastStart = runs.isEmpty() ? Long.MIN_VALUE : runs.get(runs.size() - 1).startedAt();
      long pending = records.exampleTimes().getOrDefault(rankerId, List.of()).stream()
          .filter(t -> t > lastStart).count();
      ObjectNode r = retrain.putObject(rankerId).put("examplesSinceLastRun", pending).put("runs", runs.size())
          .put("trigger", trigger.newRequests());
      if (!runs.isEmpty()) {
        r.put("lastRunAt", lastStart / 1000.0).put("lastDecision", runs.get(runs.size() - 1).decision());
      }
      // Examples per second over the last five minutes.
      long recent = records.exampleTimes().getOrDefault(rankerId, List.of()).stream()
          .filter(t -> t > now - LATENCY_WINDOW_MILLIS).count();
      double rate = recent / (LATENCY_WINDOW_MILLIS / 1000.0);
      double eta = Double.POSITIVE_INFINITY;
      if (rate > 0) {
        eta = Math.max(0, trigger.newRequests() - pending) / rate;
      }
      if (!runs.isEmpty() && pending > 0) {
        eta = Math.min(eta, Math.max(0, lastStart + trigger.intervalMillis() - now) / 1000.0);
      }
      if (!Double.isInfinite(eta)) {
        r.put("etaSeconds", Math.round(eta));
      }
    }
    if (snapshot != null) {
      TopicLag trainer = snapshot.edge(PipelineGraph.TRAINER, Topics.TRAINING_EXAMPLES_BY_RANKER.name());
      retrain.put("trainerLagExpected", true);
      if (trainer != null) {
        retrain.put("trainerLag", trainer.sumLag());
      }
    }
    return retrain;
  }
}
