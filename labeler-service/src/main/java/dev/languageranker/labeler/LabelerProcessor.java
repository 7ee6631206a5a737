package dev.languageranker.labeler;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.Reference;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.Verdict;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.platform.kafka.DeadLetters;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.schemas.FeatureChecks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * The labeler's one processor (one instance per stream task). It keeps candidates until their reference is known,
 * hands verification to the worker pool, publishes the outcomes to {@code lr.verifications} (from where they come
 * back, like external outcomes), and once every candidate of a request is labeled, or the group times out,
 * publishes one training example and forgets the request.
 *
 * <p>Crash safety: work to do is recorded in the pending store before it is handed to a worker and removed in the
 * same transaction that publishes its outcome, so a crash or rebalance re-runs it and never loses or duplicates it.
 */
final class LabelerProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(LabelerProcessor.class);
  private static final char SEP = '\u0000';
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  private final EventSerdes serdes;
  private final ReferenceVerifiers verifiers;
  private final VerificationPool pool;
  private final LabelerMetrics metrics;
  private final LabelerTopology.Timing timing;
  private final String service;
  private final Set<String> inFlight = new HashSet<>();
  private final Queue<Completed> completed = new ConcurrentLinkedQueue<>();

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Candidate> candidates;
  private KeyValueStore<String, Reference> references;
  private KeyValueStore<String, VerificationOutcome> outcomes;
  private KeyValueStore<String, RequestState> requests;
  private KeyValueStore<String, Long> pending;
  private String taskName;
  private long lastSweep;
  private volatile boolean closed;

  private record Completed(String key, VerificationOutcome outcome, long nanos) {}

  LabelerProcessor(EventSerdes serdes, ReferenceVerifiers verifiers, VerificationPool pool, LabelerMetrics metrics,
      LabelerTopology.Timing timing, String service) {
    this.serdes = serdes;
    this.verifiers = verifiers;
    this.pool = pool;
    this.metrics = metrics;
    this.timing = timing;
    this.service = service;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    candidates = context.getStateStore(LabelerTopology.CANDIDATE_STORE);
    references = context.getStateStore(LabelerTopology.REFERENCE_STORE);
    outcomes = context.getStateStore(LabelerTopology.OUTCOME_STORE);
    requests = context.getStateStore(LabelerTopology.REQUEST_STORE);
    pending = context.getStateStore(LabelerTopology.PENDING_STORE);
    taskName = context.taskId().toString();
    context.schedule(timing.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    SpecificRecord value = record.value();
    if (value instanceof Candidate c) {
      onCandidate(record, c);
    } else if (value instanceof Reference r) {
      onReference(record, r);
    } else if (value instanceof VerificationOutcome o) {
      onOutcome(record, o);
    } else {
      deadLetter(record, "record has no value (tombstone) or an unexpected type", null);
    }
  }

  private void onCandidate(Record<String, SpecificRecord> record, Candidate c) {
    Optional<String> problem = problemWith(c);
    if (problem.isPresent()) {
      deadLetter(record, problem.get(), null);
      return;
    }
    String rid = c.getRequestId();
    long now = context.currentSystemTimeMs();
    RequestState state = requests.get(rid);
    if (state != null && state.done()) {
      metrics.dropped("late-candidate");
      return;
    }
    String key = key(rid, c.getIndex());
    if (candidates.get(key) != null) {
      metrics.dropped("duplicate-candidate");
      return;
    }
    candidates.put(key, c);
    requests.put(rid, (state == null ? RequestState.open(now) : state).withK(c.getK()));
    Reference reference = references.get(rid);
    if (reference != null && outcomes.get(key) == null) {
      pending.put(key, now);
    }
    completeIfLabeled(rid, now);
  }

  private void onReference(Record<String, SpecificRecord> record, Reference r) {
    Optional<String> problem = verifiers.problemWith(r);
    if (problem.isPresent()) {
      deadLetter(record, problem.get(), null);
      return;
    }
    String rid = r.getRequestId();
    long now = context.currentSystemTimeMs();
    RequestState state = requests.get(rid);
    if (state != null && state.done()) {
      metrics.dropped("late-reference");
      return;
    }
    references.put(rid, r);
    if (state == null) {
      requests.put(rid, RequestState.open(now));
    }
    for (String key : keysOf(candidates, rid)) {
      if (outcomes.get(key) == null) {
        pending.put(key, now);
      }
    }
  }

  private void onOutcome(Record<String, SpecificRecord> record, VerificationOutcome o) {
    Optional<String> problem = problemWith(o);
    if (problem.isPresent()) {
      deadLetter(record, problem.get(), null);
      return;
    }
    String rid = o.getRequestId();
    long now = context.currentSystemTimeMs();
    RequestState state = requests.get(rid);
    if (state != null && state.done()) {
      metrics.dropped("late-outcome");
      return;
    }
    if (state != null && state.k() > 0 && o.getCandidateIndex() >= state.k()) {
      deadLetter(record, "outcome for candidate " + o.getCandidateIndex() + " of a request with k=" + state.k(), null);
      return;
    }
    String key = key(rid, o.getCandidateIndex());
    outcomes.put(key, o); // the latest outcome of a candidate is its label
    metrics.outcome(o);
    if (state == null) {
      requests.put(rid, RequestState.open(now));
    }
    completeIfLabeled(rid, now);
  }

  private void tick(long now) {
    Completed done;
    while ((done = completed.poll()) != null) {
      inFlight.remove(done.key());
      if (pending.get(done.key()) == null) {
        continue; // its request finished meanwhile
      }
      pending.delete(done.key());
      metrics.verified(done.outcome(), Duration.ofNanos(done.nanos()));
      context.forward(new Record<>(done.outcome().getRequestId(), done.outcome(), now), LabelerTopology.OUTCOMES_SINK);
    }
    dispatch();
    if (now - lastSweep >= SWEEP_EVERY.toMillis()) {
      lastSweep = now;
      sweep(now);
      metrics.pending(taskName, candidates.approximateNumEntries(), pending.approximateNumEntries());
    }
  }

  /** Hands pending verifications to the pool until it is full. */
  private void dispatch() {
    List<String> stale = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = pending.all()) {
      while (it.hasNext()) {
        String key = it.next().key;
        if (inFlight.contains(key)) {
          continue;
        }
        Candidate c = candidates.get(key);
        Reference r = c == null ? null : references.get(c.getRequestId());
        if (c == null || r == null) {
          stale.add(key);
          continue;
        }
        String text = c.getText();
        int index = c.getIndex();
        long started = System.nanoTime();
        boolean accepted = pool.trySubmit(
            () -> verifySafely(c.getRequestId(), index, text, r),
            outcome -> {
              if (!closed) {
                completed.add(new Completed(key, outcome, System.nanoTime() - started));
              }
            });
        if (!accepted) {
          break; // backpressure: the rest waits in the store
        }
        inFlight.add(key);
      }
    }
    stale.forEach(pending::delete);
  }

  private VerificationOutcome verifySafely(String rid, int index, String text, Reference r) {
    try {
      return verifiers.verify(rid, index, text, r);
    } catch (RuntimeException e) {
      log.error("verifier failed on {}#{}", rid, index, e);
      return VerificationOutcome.newBuilder().setRequestId(rid).setCandidateIndex(index).setVerdict(Verdict.ERROR)
          .setLabelType(LabelType.BINARY).setScore(0).setVerifier(ReferenceVerifiers.verifierName(r.getTask()))
          .setDetail("verifier failed: " + e).setExternal(false).setVerifiedAt(Instant.now()).build();
    }
  }

  /** Publishes timed-out groups with what is labeled, drops unlabeled ones after the pending timeout. */
  private void sweep(long now) {
    List<KeyValue<String, RequestState>> all = new ArrayList<>();
    try (KeyValueIterator<String, RequestState> it = requests.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, RequestState> entry : all) {
      RequestState state = entry.value;
      long age = now - state.firstSeenMs();
      if (state.done()) {
        if (now - state.doneAtMs() > timing.doneRetention().toMillis()) {
          requests.delete(entry.key);
        }
      } else if (age > timing.groupTimeout().toMillis()) {
        if (publish(entry.key, state, now)) {
          finish(entry.key, state, now);
        } else if (age > timing.pendingTimeout().toMillis()) {
          metrics.dropped("unlabeled-after-timeout");
          finish(entry.key, state, now);
        }
      }
    }
  }

  private void completeIfLabeled(String rid, long now) {
    RequestState state = requests.get(rid);
    if (state == null || state.k() == 0) {
      return;
    }
    List<String> keys = keysOf(candidates, rid);
    if (keys.size() < state.k()) {
      return;
    }
    for (String key : keys) {
      if (outcomes.get(key) == null) {
        return;
      }
    }
    if (publish(rid, state, now)) {
      finish(rid, state, now);
    }
  }

  private boolean publish(String rid, RequestState state, long now) {
    List<Candidate> group = new ArrayList<>();
    for (KeyValue<String, Candidate> kv : entriesOf(candidates, rid)) {
      group.add(kv.value);
    }
    Map<Integer, VerificationOutcome> labels = new HashMap<>();
    for (KeyValue<String, VerificationOutcome> kv : entriesOf(outcomes, rid)) {
      labels.put(kv.value.getCandidateIndex(), kv.value);
    }
    Optional<TrainingExample> example = TrainingExampleAssembler.assemble(group, labels, state.k(),
        Instant.ofEpochMilli(now));
    example.ifPresent(e -> {
      context.forward(new Record<>(rid, e, now), LabelerTopology.EXAMPLES_SINK);
      metrics.example(e.getComplete());
    });
    return example.isPresent();
  }

  private void finish(String rid, RequestState state, long now) {
    for (String key : keysOf(candidates, rid)) {
      candidates.delete(key);
    }
    for (String key : keysOf(outcomes, rid)) {
      outcomes.delete(key);
    }
    for (String key : keysOf(pending, rid)) {
      pending.delete(key);
    }
    references.delete(rid);
    requests.put(rid, state.finishedAt(now));
  }

  private static Optional<String> problemWith(Candidate c) {
    if (c.getRequestId() == null || c.getRequestId().isBlank() || c.getRequestId().indexOf(SEP) >= 0) {
      return Optional.of("candidate without a usable requestId");
    }
    if (c.getK() < 1 || c.getIndex() < 0 || c.getIndex() >= c.getK()) {
      return Optional.of("candidate index " + c.getIndex() + " is outside 0.." + (c.getK() - 1));
    }
    return FeatureChecks.shapeProblem(c.getFeatures()).map(features -> "candidate " + features);
  }

  private static Optional<String> problemWith(VerificationOutcome o) {
    if (o.getRequestId() == null || o.getRequestId().isBlank() || o.getRequestId().indexOf(SEP) >= 0) {
      return Optional.of("outcome without a usable requestId");
    }
    if (o.getCandidateIndex() < 0) {
      return Optional.of("outcome with negative candidate index " + o.getCandidateIndex());
    }
    if (o.getVerdict() == Verdict.UNKNOWN) {
      return Optional.of("outcome with an unknown verdict");
    }
    if (!Double.isFinite(o.getScore())) {
      return Optional.of("outcome score is not a finite number: " + o.getScore());
    }
    if (o.getLabelType() == LabelType.BINARY && o.getScore() != 0.0 && o.getScore() != 1.0) {
      return Optional.of("BINARY outcome score must be 0 or 1, not " + o.getScore());
    }
    if (o.getVerifier() == null || o.getVerifier().isBlank()) {
      return Optional.of("outcome without a verifier name");
    }
    return Optional.empty();
  }

  private void deadLetter(Record<String, SpecificRecord> record, String reason, Throwable error) {
    DeadLetter letter = DeadLetters.ofProcessed(service, serdes, context.recordMetadata(), record, reason, error);
    context.forward(new Record<String, SpecificRecord>(record.key(), letter, context.currentSystemTimeMs()),
        LabelerTopology.DEAD_LETTERS_SINK);
  }

  private static String key(String rid, int index) {
    return rid + SEP + String.format("%05d", index);
  }

  private static <V> List<String> keysOf(KeyValueStore<String, V> store, String rid) {
    return entriesOf(store, rid).stream().map(kv -> kv.key).toList();
  }

  private static <V> List<KeyValue<String, V>> entriesOf(KeyValueStore<String, V> store, String rid) {
    List<KeyValue<String, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.prefixScan(rid + SEP, new StringSerializer())) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Override
  public void close() {
    closed = true; // results of work still running are dropped; the pending store re-runs it after restore
    completed.clear();
    inFlight.clear();
    metrics.taskClosed(taskName);
  }
}
