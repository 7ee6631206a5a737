package dev.languageranker.labeler;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.Reference;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.JsonSerde;
import dev.languageranker.platform.kafka.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The labeler's Kafka Streams topology: candidates, references and outcomes (its own and external ones, all keyed
 * by request id, so co-partitioned) meet in one processor that verifies candidates off the stream thread and
 * publishes one training example per request. Pure: no I/O, so it runs under {@code TopologyTestDriver}.
 */
public final class LabelerTopology {
  static final String CANDIDATES_SOURCE = "labeler-candidates-source";
  static final String REFERENCES_SOURCE = "labeler-references-source";
  static final String OUTCOMES_SOURCE = "labeler-outcomes-source";
  static final String PROCESSOR = "labeler";
  static final String OUTCOMES_SINK = "labeler-outcomes-sink";
  static final String EXAMPLES_SINK = "labeler-examples-sink";
  static final String DEAD_LETTERS_SINK = "labeler-dead-letters-sink";

  static final String CANDIDATE_STORE = "labeler-candidates";
  static final String REFERENCE_STORE = "labeler-references";
  static final String OUTCOME_STORE = "labeler-outcomes";
  static final String REQUEST_STORE = "labeler-requests";
  static final String PENDING_STORE = "labeler-pending-verifications";

  /** Timing of the labeler. */
  public record Timing(Duration groupTimeout, Duration pendingTimeout, Duration doneRetention, Duration tick) {}

  private LabelerTopology() {}

  public static Topology build(EventSerdes serdes, ReferenceVerifiers verifiers, VerificationPool pool,
      LabelerMetrics metrics, Timing timing, String service) {
    Topology topology = new Topology();
    var strings = Serdes.String();
    topology.addSource(CANDIDATES_SOURCE, strings.deserializer(), serdes.of(Candidate.class).deserializer(),
        Topics.CANDIDATES.name());
    topology.addSource(REFERENCES_SOURCE, strings.deserializer(), serdes.of(Reference.class).deserializer(),
        Topics.REFERENCES.name());
    topology.addSource(OUTCOMES_SOURCE, strings.deserializer(), serdes.of(VerificationOutcome.class).deserializer(),
        Topics.VERIFICATIONS.name());
    topology.addProcessor(PROCESSOR,
        () -> new LabelerProcessor(serdes, verifiers, pool, metrics, timing, service),
        CANDIDATES_SOURCE, REFERENCES_SOURCE, OUTCOMES_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CANDIDATE_STORE),
        strings, serdes.of(Candidate.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REFERENCE_STORE),
        strings, serdes.of(Reference.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTCOME_STORE),
        strings, serdes.of(VerificationOutcome.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REQUEST_STORE),
        strings, new JsonSerde<>(RequestState.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
        strings, Serdes.Long()), PROCESSOR);
    topology.addSink(OUTCOMES_SINK, Topics.VERIFICATIONS.name(), strings.serializer(),
        serdes.of(VerificationOutcome.class).serializer(), PROCESSOR);
    topology.addSink(EXAMPLES_SINK, Topics.TRAINING_EXAMPLES.name(), strings.serializer(),
        serdes.of(TrainingExample.class).serializer(), PROCESSOR);
    topology.addSink(DEAD_LETTERS_SINK, Topics.DEAD_LETTERS.name(), strings.serializer(),
        serdes.of(DeadLetter.class).serializer(), PROCESSOR);
    return topology;
  }
}
