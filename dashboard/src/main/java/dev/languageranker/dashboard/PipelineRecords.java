package dev.languageranker.dashboard;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard learns from the pipeline's records, beyond offsets: answers joined with the labels of their
 * requests (every candidate is labeled, so the served pick and the baselines' picks are scored on the same
 * requests), answer latencies, ranker releases, training runs and dead letters per reason. Fed by one thread
 * ({@link PipelineReader}); read through {@link #view()} by others.
 */
public final class PipelineRecords {
  static final int MAX_PENDING = 50_000;
  static final int MAX_OUTCOMES = 50_000;
  static final int MAX_LATENCIES = 5_000;
  static final int MAX_RUNS = 500;
  static final int MAX_EXAMPLE_TIMES = 100_000;

  private final Map<String, RankedAnswer> answersWaiting = boundedMap();
  private final Map<String, TrainingExample> examplesWaiting = boundedMap();
  private final Deque<ServedOutcome> outcomes = new ArrayDeque<>();
  private final Deque<long[]> latencies = new ArrayDeque<>(); // {answeredAt, latencyMs, endToEndMs}
  private final List<ReleaseInfo> releases = new ArrayList<>();
  private final Deque<RunInfo> runs = new ArrayDeque<>();
  private final Map<String, Long> deadLettersByReason = new TreeMap<>();
  private final Map<String, Deque<Long>> exampleTimes = new HashMap<>();
  private long answers;

  /** A read-only copy for rendering. */
  public record View(List<ServedOutcome> outcomes, List<long[]> latencies, List<ReleaseInfo> releases,
      List<RunInfo> runs, Map<String, Long> deadLettersByReason, Map<String, List<Long>> exampleTimes, long answers) {}

  private static <V> Map<String, V> boundedMap() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_PENDING;
      }
    };
  }

  public synchronized void answer(RankedAnswer answer) {
    answers++;
    long answeredAt = answer.getAnsweredAt().toEpochMilli();
    latencies.addLast(new long[]{answeredAt, answer.getLatencyMs(),
        answeredAt - answer.getPromptCreatedAt().toEpochMilli()});
    trim(latencies, MAX_LATENCIES);
    TrainingExample example = examplesWaiting.remove(answer.getRequestId());
    if (example != null) {
      join(answer, example);
    } else {
      answersWaiting.put(answer.getRequestId(), answer);
    }
  }

  public synchronized void example(TrainingExample example) {
    Deque<Long> times = exampleTimes.computeIfAbsent(example.getRankerId(), k -> new ArrayDeque<>());
    times.addLast(example.getCreatedAt().toEpochMilli());
    trim(times, MAX_EXAMPLE_TIMES);
    // Only what the join needs: the features are large.
    example.setInstruction(java.nio.ByteBuffer.allocate(0));
    example.getCandidates().forEach(c -> c.setResponse(java.nio.ByteBuffer.allocate(0)));
    RankedAnswer answer = answersWaiting.remove(example.getRequestId());
    if (answer != null) {
      join(answer, example);
    } else {
      examplesWaiting.put(example.getRequestId(), example);
    }
  }

  private void join(RankedAnswer answer, TrainingExample example) {
    ServedOutcome outcome = ServedOutcome.of(answer, example);
    if (outcome != null) {
      outcomes.addLast(outcome);
      trim(outcomes, MAX_OUTCOMES);
    }
  }

  public synchronized void release(String rankerId, RankerRelease release, long timestamp) {
    if (release == null) {
      releases.add(new ReleaseInfo(rankerId, -1, "", 0, null, null, 0, Map.of(), timestamp));
      return;
    }
    releases.add(new ReleaseInfo(release.getRankerId(), release.getVersion(), release.getArchitecture().name(),
        release.getParameterCount(), release.getPreviousVersion(), release.getRollbackOf(),
        release.getTrainingExamples(), Map.copyOf(release.getMetrics()), release.getPublishedAt().toEpochMilli()));
  }

  public synchronized void run(TrainingRun run) {
    runs.addLast(new RunInfo(run.getRunId(), run.getRankerId(), run.getCandidateVersion(), run.getChampionVersion(),
        run.getTrainGroups(), run.getHoldoutGroups(), run.getDurationMs(), Map.copyOf(run.getMetrics()),
        Map.copyOf(run.getChampionMetrics()), run.getDecision().name(), run.getReason(),
        run.getStartedAt().toEpochMilli(), run.getFinishedAt().toEpochMilli()));
    trim(runs, MAX_RUNS);
  }

  public synchronized void deadLetter(DeadLetter letter) {
    deadLettersByReason.merge(reasonOf(letter), 1L, Long::sum);
  }

  /** A dead letter's reason without its record-specific details, so that counts group by cause. */
  static String reasonOf(DeadLetter letter) {
    String reason = letter.getReason() == null ? "" : letter.getReason();
    int colon = reason.indexOf(':');
    String cause = (colon > 0 ? reason.substring(0, colon) : reason).strip();
    if (cause.length() > 80) {
      cause = cause.substring(0, 80);
    }
    return letter.getService() + " / " + letter.getSourceTopic() + " / " + cause;
  }

  public synchronized View view() {
    Map<String, List<Long>> times = new HashMap<>();
    exampleTimes.forEach((id, t) -> times.put(id, List.copyOf(t)));
    return new View(List.copyOf(outcomes), latencies.stream().map(a -> Arrays.copyOf(a, a.length)).toList(),
        List.copyOf(releases), List.copyOf(runs), Map.copyOf(deadLettersByReason), times, answers);
  }

  private static void trim(Deque<?> deque, int max) {
    while (deque.size() > max) {
      deque.removeFirst();
    }
  }
}
