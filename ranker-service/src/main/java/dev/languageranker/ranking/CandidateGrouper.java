package dev.languageranker.ranking;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.CandidateScore;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Strategy;
import dev.languageranker.events.Task;
import dev.languageranker.platform.kafka.DeadLetters;
import dev.languageranker.schemas.FeatureChecks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
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
 * rejected), or with what arrived after the group timeout. A candidate that cannot be ranked goes to dead letters and
 * the group is ranked without it; duplicates and candidates arriving after their group went to scoring are counted
 * and dropped.
 *
 * <p>Ready groups are scored in batches on the scorer executor, one batch in flight per task, so the stream thread
 * keeps reading while a batch is scored; the answers are emitted (and the group forgotten) on the stream thread once
 * the batch is done. Until then the group stays in the store, so a crash before the answer is committed answers it
 * again from the store, never twice.
 */
final class CandidateGrouper implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger logger = LoggerFactory.getLogger(CandidateGrouper.class);
  private static final long SWEEP_EVERY_MS = 1000;
  /** Ready groups beyond this many batches make the stream thread wait for the batch being scored. */
  private static final int READY_BATCHES_BEFORE_WAITING = 4;

  private final Deserializer<Candidate> decoder;
  private final AnswerSelector selector;
  private final Executor scorer;
  private final CandidateLog log;
  private final RankerMetrics metrics;
  private final RankerTopology.Settings settings;
  private final String service;
  /** Ready groups by the time they became ready, oldest first. */
  private final Map<String, Long> ready = new LinkedHashMap<>();
  /** The decoded candidates of open groups; a group this task did not see from its start is read back from the topic. */
  private final Map<String, List<Candidate>> decoded = new HashMap<>();

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, GroupState> groups;
  private KeyValueStore<String, Long> answered;
  private ScoringBatch scoring;
  private long lastSweep;
  private long lastPurge;
  private long startedMs;

  CandidateGrouper(Deserializer<Candidate> decoder, AnswerSelector selector, Executor scorer, CandidateLog log,
      RankerMetrics metrics, RankerTopology.Settings settings, String service) {
    this.decoder = decoder;
    this.selector = selector;
    this.scorer = scorer;
    this.log = log;
    this.metrics = metrics;
    this.settings = settings;
    this.service = service;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    // A revived task starts over from its committed state: nothing in memory survives.
    ready.clear();
    decoded.clear();
    scoring = null;
    startedMs = context.currentSystemTimeMs();
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
  public void process(Record<String, byte[]> record) {
    answerScored(false);
    if (record.value() == null) {
      deadLetter(record, "record has no value (tombstone)", null);
      return;
    }
    Candidate c;
    try {
      c = decoder.deserialize(topic(), record.value());
    } catch (SerializationException e) {
      deadLetter(record, e.getMessage(), e);
      return;
    }
    String rid = c.getRequestId();
    if (rid == null || rid.isBlank() || c.getK() < 1 || c.getIndex() < 0
        || c.getIndex() >= c.getK()) {
      deadLetter(record, "candidate without a usable requestId, or index " + c.getIndex() + " outside 0.."
          + (c.getK() - 1), null);
      return;
    }
    if (scoring != null && scoring.requestIds().contains(rid)) {
      metrics.dropped("late");
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
      state = GroupState.open(now, c.getK(), context.recordMetadata().orElseThrow().partition());
    } else if (state.seen(c.getIndex())) {
      metrics.dropped("duplicate");
      return;
    }
    Optional<String> problem = problemWith(c);
    if (problem.isPresent()) {
      deadLetter(record, problem.get(), null);
      state = state.reject(c.getIndex());
    } else {
      decoded.computeIfAbsent(rid, r -> new ArrayList<>()).add(c);
      state = state.accept(c.getIndex(), context.recordMetadata().orElseThrow().offset());
    }
    groups.put(rid, state);
    if (state.ready()) {
      ready.put(rid, now);
      maybeScore(now);
    }
  }

  @Override
  public void close() {
    // A batch still being scored is dropped with the task; its groups are in the store and answered by the next owner.
    scoring = null;
    ready.clear();
    decoded.clear();
    log.close();
  }

  /** Why the candidate cannot join its group (unusable features, or features its ranker does not read), or empty. */
  private Optional<String> problemWith(Candidate c) {
    Optional<String> features = FeatureChecks.problem(c.getFeatures());
    if (features.isPresent()) {
      return features.map(problem -> "candidate " + c.getIndex() + ": " + problem);
    }
    Optional<LoadedRanker> ranker = selector.rankerFor(c);
    if (ranker.isPresent() && (ranker.get().featureDim() != c.getFeatures().getDim()
        || ranker.get().featureLayer() != c.getFeatures().getLayer())) {
      return Optional.of("candidate " + c.getIndex() + " has features of layer " + c.getFeatures().getLayer() + ", dim "
          + c.getFeatures().getDim() + "; ranker " + ranker.get() + " reads layer " + ranker.get().featureLayer()
          + ", dim " + ranker.get().featureDim());
    }
    if (ranker.isPresent() && AnswerSelector.pooling(c.getFeatures().getPooling()) != ranker.get().pooling()) {
      return Optional.of("candidate " + c.getIndex() + " has "
          + AnswerSelector.pooling(c.getFeatures().getPooling()).key()
          + "-pooled features; ranker " + ranker.get() + " reads " + ranker.get().pooling().key() + "-pooled features");
    }
    return Optional.empty();
  }

  private void tick(long now) {
    answerScored(false);
    if (now - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now;
      markTimedOut(now);
    }
    maybeScore(now);
    if (now - lastPurge >= Math.max(SWEEP_EVERY_MS, settings.doneRetention().toMillis() / 10)) {
      lastPurge = now;
      purgeAnswered(now);
    }
  }

  private void markTimedOut(long now) {
    List<KeyValue<String, GroupState>> open = new ArrayList<>();
    try (KeyValueIterator<String, GroupState> it = groups.all()) {
      it.forEachRemaining(open::add);
    }
    for (KeyValue<String, GroupState> kv : open) {
      // A group restored after a restart gets a full timeout from the restart: its missing candidates are likely
      // still waiting in the backlog, and the first tick comes before that backlog is read.
      long since = Math.max(kv.value.firstArrivalMs(), startedMs);
      boolean scored = scoring != null && scoring.requestIds().contains(kv.key);
      if (!scored && !ready.containsKey(kv.key) && now - since >= settings.groupTimeout().toMillis()) {
        ready.put(kv.key, 0L); // overdue already: no batch wait
      }
    }
  }

  /**
   * Sends the oldest ready groups to the scorer when none of this task's are being scored and a batch is full or its
   * oldest group has waited the batch wait. While a batch is scored, ready groups gather into the next one; only when
   * several batches' worth are waiting does the stream thread wait for the scorer.
   */
  private void maybeScore(long now) {
    if (ready.isEmpty()) {
      return;
    }
    if (scoring != null) {
      if (ready.size() < settings.batchSize() * READY_BATCHES_BEFORE_WAITING) {
        return;
      }
      answerScored(true);
    }
    if (ready.size() >= settings.batchSize()
        || now - ready.values().iterator().next() >= settings.batchWait().toMillis()) {
      submit();
    }
  }

  private void submit() {
    List<String> ids = new ArrayList<>();
    List<GroupState> states = new ArrayList<>();
    List<List<Candidate>> batch = new ArrayList<>();
    Iterator<String> it = ready.keySet().iterator();
    while (it.hasNext() && ids.size() < settings.batchSize()) {
      String rid = it.next();
      it.remove();
      GroupState state = groups.get(rid);
      List<Candidate> group = candidatesOf(rid, state);
      if (group.isEmpty()) {
        emitEmpty(rid, state, context.currentSystemTimeMs()); // every candidate was rejected: still one answer
      } else {
        ids.add(rid);
        states.add(state);
        batch.add(group);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    scoring = new ScoringBatch(Set.copyOf(ids), ids, states, batch,
        CompletableFuture.supplyAsync(() -> selector.select(batch), scorer));
    answerScored(false); // a same-thread scorer has finished already
  }

  /** Emits the answers of the batch being scored once it is done (or, with {@code wait}, after waiting for it). */
  private void answerScored(boolean wait) {
    if (scoring == null || (!wait && !scoring.selections().isDone())) {
      return;
    }
    ScoringBatch done = scoring;
    scoring = null;
    List<Selection> selections;
    try {
      selections = done.selections().join();
    } catch (CompletionException e) {
      throw new StreamsException("scoring a batch of " + done.ids().size() + " groups failed", e.getCause());
    }
    long now = context.currentSystemTimeMs();
    for (int i = 0; i < done.ids().size(); i++) {
      emit(done.ids().get(i), done.states().get(i), done.groups().get(i), selections.get(i), now);
    }
  }

  private void emit(String rid, GroupState state, List<Candidate> group, Selection selection, long now) {
    Candidate first = group.get(0);
    Candidate chosen = first;
    List<CandidateScore> scores = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      Candidate c = group.get(i);
      scores.add(new CandidateScore(c.getIndex(), selection.scores()[i]));
      if (c.getIndex() == selection.chosenIndex()) {
        chosen = c;
      }
    }
    boolean complete = state != null && group.size() == state.k();
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
    finish(rid, now);
  }

  private void emitEmpty(String rid, GroupState state, long now) {
    logger.warn("request {} has no rankable candidate; answering with none", rid);
    RankedAnswer answer = RankedAnswer.newBuilder()
        .setRequestId(rid).setTask(Task.UNKNOWN).setChosenIndex(-1).setChosenText("")
        .setScores(List.of()).setStrategy(Strategy.UNKNOWN).setRankerId("").setRankerVersion(null).setComplete(false)
        .setCandidatesRanked(0).setK(state == null ? 0 : state.k()).setBaseModelId("")
        .setLatencyMs(state == null ? 0 : now - state.firstArrivalMs()).setPromptCreatedAt(Instant.ofEpochMilli(now))
        .setAnsweredAt(Instant.ofEpochMilli(now)).setMetadata(Map.of()).build();
    context.forward(new Record<>(rid, answer, now), RankerTopology.ANSWERS_SINK);
    metrics.ranked(Strategy.UNKNOWN, false, answer.getLatencyMs());
    finish(rid, now);
  }

  /** Forgets an answered group, and remembers that it was answered. */
  private void finish(String rid, long now) {
    groups.put(rid, null);
    answered.put(rid, now);
    decoded.remove(rid);
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

  private void deadLetter(Record<String, byte[]> record, String reason, Throwable error) {
    DeadLetter letter = DeadLetters.ofProcessedBytes(service, context.recordMetadata(), record, reason, error);
    context.forward(new Record<String, SpecificRecord>(record.key(), letter, context.currentSystemTimeMs()),
        RankerTopology.DEAD_LETTERS_SINK);
  }

  private String topic() {
    return context.recordMetadata().map(m -> m.topic()).orElse(RankerTopology.CANDIDATES_TOPIC);
  }

  /**
   * A group's accepted candidates by index: decoded on arrival, or, for a group this task did not see from its
   * start, read back from the topic at the offsets its state holds.
   */
  private List<Candidate> candidatesOf(String rid, GroupState state) {
    List<Candidate> group = decoded.get(rid);
    if (state == null) {
      return List.of();
    }
    if (group == null || group.size() != state.accepted()) {
      Map<Long, byte[]> records = log.read(state.partition(), state.offsets());
      group = new ArrayList<>(records.size());
      for (long offset : state.offsets()) {
        byte[] bytes = records.get(offset);
        if (bytes == null) {
          logger.error("candidate of request {} at {}-{}@{} is gone from the topic; ranking without it", rid,
              RankerTopology.CANDIDATES_TOPIC, state.partition(), offset);
          metrics.dropped("unreadable");
        } else {
          group.add(decoder.deserialize(RankerTopology.CANDIDATES_TOPIC, bytes));
        }
      }
    }
    group.sort(Comparator.comparingInt(Candidate::getIndex));
    return group;
  }

  /** The groups one scoring call decides, and its result. */
  private record ScoringBatch(Set<String> requestIds, List<String> ids, List<GroupState> states,
      List<List<Candidate>> groups, CompletableFuture<List<Selection>> selections) {}
}
