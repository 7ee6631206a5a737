package dev.languageranker.ranking;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.CandidateScore;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Strategy;
import dev.languageranker.platform.kafka.DeadLetters;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.schemas.FeatureChecks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects each request's candidates and answers it exactly once: when all K are accounted for (accepted or
 * rejected), or with what arrived after the group timeout. Ready groups are scored in batches, flushed when a batch
 * fills or its oldest group has waited the batch wait. A candidate that cannot be ranked goes to dead letters and the group is ranked
 * without it; duplicates and candidates arriving after their answer are counted and dropped.
 */
final class CandidateGrouper implements Processor<String, Candidate, String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(CandidateGrouper.class);
  private static final char SEP = '\u0000';
  private static final long SWEEP_EVERY_MS = 1000;

  private final EventSerdes serdes;
  private final AnswerSelector selector;
  private final RankerMetrics metrics;
  private final RankerTopology.Settings settings;
  private final String service;
  /** Ready groups by the time they became ready, oldest first. */
  private final Map<String, Long> ready = new LinkedHashMap<>();

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Candidate> candidates;
  private KeyValueStore<String, GroupState> groups;
  private KeyValueStore<String, Long> answered;
  private long lastSweep;
  private long lastPurge;
  private long startedMs;

  CandidateGrouper(EventSerdes serdes, AnswerSelector selector, RankerMetrics metrics, RankerTopology.Settings settings,
      String service) {
    this.serdes = serdes;
    this.selector = selector;
    this.metrics = metrics;
    this.settings = settings;
    this.service = service;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    startedMs = context.currentSystemTimeMs();
    candidates = context.getStateStore(RankerTopology.CANDIDATE_STORE);
    groups = context.getStateStore(RankerTopology.GROUP_STORE);
    answered = context.getStateStore(RankerTopology.ANSWERED_STORE);
    // Groups that were ready when this task last stopped are answered on the first tick.
    try (KeyValueIterator<String, GroupState> it = groups.all()) {
      it.forEachRemaining(kv -> {
        if (kv.value.ready()) {
          ready.put(kv.key, 0L);
        }
      });
    }
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, Candidate> record) {
    Candidate c = record.value();
    if (c == null) {
      deadLetter(record, "record has no value (tombstone)");
      return;
    }
    String rid = c.getRequestId();
    if (rid == null || rid.isBlank() || rid.indexOf(SEP) >= 0 || c.getK() < 1 || c.getIndex() < 0
        || c.getIndex() >= c.getK()) {
      deadLetter(record, "candidate without a usable requestId, or index " + c.getIndex() + " outside 0.." + (c.getK() - 1));
      return;
    }
    long now = context.currentSystemTimeMs();
    GroupState state = groups.get(rid);
    if (state == null) {
      // Only a group's first candidate (or a late one) needs the answered-requests lookup.
      if (answered.get(rid) != null) {
        metrics.dropped("late");
        return;
      }
      state = GroupState.open(now, c.getK());
    } else if (state.seen(c.getIndex())) {
      metrics.dropped("duplicate");
      return;
    }
    String problem = problemWith(c);
    if (problem != null) {
      deadLetter(record, problem);
      state = state.reject(c.getIndex());
    } else {
      // Every candidate carries the same instruction feature; one stored copy per group halves what the store
      // encodes, caches and decodes.
      if (state.accepted() > 0) {
        c.getFeatures().setInstruction(java.nio.ByteBuffer.allocate(0));
      }
      candidates.put(key(rid, c.getIndex()), c);
      state = state.accept(c.getIndex());
    }
    groups.put(rid, state);
    if (state.ready()) {
      ready.put(rid, now);
      if (ready.size() >= settings.batchSize()) {
        answerReady(now);
      }
    }
  }

  private String problemWith(Candidate c) {
    String features = FeatureChecks.problem(c.getFeatures());
    if (features != null) {
      return "candidate " + c.getIndex() + ": " + features;
    }
    Optional<LoadedRanker> ranker = selector.rankerFor(c);
    if (ranker.isPresent() && (ranker.get().featureDim() != c.getFeatures().getDim()
        || ranker.get().featureLayer() != c.getFeatures().getLayer())) {
      return "candidate " + c.getIndex() + " has features of layer " + c.getFeatures().getLayer() + ", dim "
          + c.getFeatures().getDim() + "; ranker " + ranker.get() + " reads layer " + ranker.get().featureLayer()
          + ", dim " + ranker.get().featureDim();
    }
    return null;
  }

  private void tick(long now) {
    if (!ready.isEmpty() && now - ready.values().iterator().next() >= settings.batchWait().toMillis()) {
      answerReady(now);
    }
    if (now - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now;
      answerTimedOut(now);
    }
    if (now - lastPurge >= Math.max(SWEEP_EVERY_MS, settings.doneRetention().toMillis() / 10)) {
      lastPurge = now;
      purgeAnswered(now);
    }
  }

  private void answerTimedOut(long now) {
    List<KeyValue<String, GroupState>> open = new ArrayList<>();
    try (KeyValueIterator<String, GroupState> it = groups.all()) {
      it.forEachRemaining(open::add);
    }
    for (KeyValue<String, GroupState> kv : open) {
      // A group restored after a restart gets a full timeout from the restart: its missing candidates are likely
      // still waiting in the backlog, and the first tick comes before that backlog is read.
      long since = Math.max(kv.value.firstArrivalMs(), startedMs);
      if (!ready.containsKey(kv.key) && now - since >= settings.groupTimeout().toMillis()) {
        ready.put(kv.key, now);
      }
    }
    answerReady(now);
  }

  /** Scores every ready group in one batch and emits their answers. */
  private void answerReady(long now) {
    if (ready.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(ready.keySet());
    ready.clear();
    List<List<Candidate>> batch = new ArrayList<>();
    List<String> rankable = new ArrayList<>();
    for (String rid : ids) {
      List<Candidate> group = new ArrayList<>();
      entriesOf(rid).forEach(kv -> group.add(kv.value));
      if (group.isEmpty()) {
        emitEmpty(rid, now); // every candidate was rejected: still one answer
      } else {
        batch.add(group);
        rankable.add(rid);
      }
    }
    if (!batch.isEmpty()) {
      List<Selection> selections = selector.select(batch);
      for (int i = 0; i < batch.size(); i++) {
        emit(rankable.get(i), batch.get(i), selections.get(i), now);
      }
    }
  }

  private void emit(String rid, List<Candidate> group, Selection selection, long now) {
    GroupState state = groups.get(rid);
    Candidate first = group.get(0);
    Candidate chosen = group.stream().filter(c -> c.getIndex() == selection.chosenIndex()).findFirst().orElseThrow();
    List<CandidateScore> scores = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      scores.add(new CandidateScore(group.get(i).getIndex(), selection.scores()[i]));
    }
    boolean complete = state != null && state.accepted() == state.k();
    long latency = state == null ? 0 : now - state.firstArrivalMs();
    RankedAnswer answer = RankedAnswer.newBuilder()
        .setRequestId(rid).setTask(first.getTask()).setChosenIndex(chosen.getIndex()).setChosenText(chosen.getText())
        .setScores(scores).setStrategy(selection.strategy()).setRankerId(first.getRankerId())
        .setRankerVersion(selection.rankerVersion()).setComplete(complete).setCandidatesRanked(group.size())
        .setK(first.getK()).setBaseModelId(first.getBaseModelId()).setLatencyMs(latency)
        .setPromptCreatedAt(first.getPromptCreatedAt()).setAnsweredAt(Instant.ofEpochMilli(now))
        .setMetadata(first.getMetadata()).build();
    context.forward(new Record<>(rid, answer, now), RankerTopology.ANSWERS_SINK);
    metrics.ranked(selection.strategy(), complete, latency);
    finish(rid, group.stream().map(c -> key(rid, c.getIndex())).toList(), now);
  }

  private void emitEmpty(String rid, long now) {
    GroupState state = groups.get(rid);
    log.warn("request {} has no rankable candidate; answering with none", rid);
    RankedAnswer answer = RankedAnswer.newBuilder()
        .setRequestId(rid).setTask(dev.languageranker.events.Task.UNKNOWN).setChosenIndex(-1).setChosenText("")
        .setScores(List.of()).setStrategy(Strategy.UNKNOWN).setRankerId("").setRankerVersion(null).setComplete(false)
        .setCandidatesRanked(0).setK(state == null ? 0 : state.k()).setBaseModelId("")
        .setLatencyMs(state == null ? 0 : now - state.firstArrivalMs()).setPromptCreatedAt(Instant.ofEpochMilli(now))
        .setAnsweredAt(Instant.ofEpochMilli(now)).setMetadata(Map.of()).build();
    context.forward(new Record<>(rid, answer, now), RankerTopology.ANSWERS_SINK);
    metrics.ranked(Strategy.UNKNOWN, false, answer.getLatencyMs());
    finish(rid, List.of(), now);
  }

  /**
   * Forgets an answered group. put(key, null) deletes like delete(key) but does not read back and decode the old
   * value, which for a candidate is a whole feature vector.
   */
  private void finish(String rid, List<String> keys, long now) {
    keys.forEach(key -> candidates.put(key, null));
    groups.put(rid, null);
    answered.put(rid, now);
  }

  private void purgeAnswered(long now) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = answered.all()) {
      it.forEachRemaining(kv -> {
        if (now - kv.value > settings.doneRetention().toMillis()) {
          expired.add(kv.key);
        }
      });
    }
    expired.forEach(key -> answered.put(key, null));
  }

  private void deadLetter(Record<String, Candidate> record, String reason) {
    DeadLetter letter = DeadLetters.ofProcessed(service, serdes, context.recordMetadata(), record, reason);
    context.forward(new Record<String, SpecificRecord>(record.key(), letter, context.currentSystemTimeMs()),
        RankerTopology.DEAD_LETTERS_SINK);
  }

  private static String key(String rid, int index) {
    return rid + SEP + String.format("%05d", index);
  }

  private List<KeyValue<String, Candidate>> entriesOf(String rid) {
    List<KeyValue<String, Candidate>> out = new ArrayList<>();
    try (KeyValueIterator<String, Candidate> it = candidates.prefixScan(rid + SEP, new StringSerializer())) {
      it.forEachRemaining(out::add);
    }
    return out;
  }
}
