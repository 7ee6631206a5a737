package dev.languageranker.ranking;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.Topics;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The ranker's Kafka Streams topology: candidates keyed by request id are collected per request, and each group is
 * answered exactly once on {@code lr.answers}, complete or after the group timeout. Pure: the ranker versions come in
 * through the {@link RankerRegistry}, scoring runs on the given executor and candidates are read back through the
 * given {@link CandidateLog}, so it runs under {@code TopologyTestDriver}.
 */
public final class RankerTopology {
  static final String SOURCE = "ranker-candidates-source";
  static final String PROCESSOR = "ranker-grouper";
  static final String ANSWERS_SINK = "ranker-answers-sink";
  static final String DEAD_LETTERS_SINK = "ranker-dead-letters-sink";
  static final String GROUP_STORE = "ranker-groups";
  static final String ANSWERED_STORE = "ranker-answered";
  static final String CANDIDATES_TOPIC = Topics.CANDIDATES.name();

  /**
   * Timing and batching of the grouper: ready groups are scored together once {@code batchSize} are waiting or the
   * oldest has waited {@code batchWait}; {@code tick} is how often that and the timeouts are checked.
   */
  public record Settings(Duration groupTimeout, Duration doneRetention, int batchSize, Duration batchWait,
      Duration tick) {}

  private RankerTopology() {}

  /**
   * The topology. {@code scorer} runs the scoring of ready groups (a dedicated thread in the service, the calling
   * thread in tests); {@code candidateLog} opens one reader per task.
   */
  public static Topology build(EventSerdes serdes, AnswerSelector selector, Executor scorer,
      Supplier<CandidateLog> candidateLog, RankerMetrics metrics, Settings settings, String service) {
    Topology topology = new Topology();
    var strings = Serdes.String();
    // Values are read as bytes and decoded by the grouper, which dead-letters what does not decode with its
    // reason, in the same transaction as everything else.
    topology.addSource(SOURCE, strings.deserializer(), new ByteArrayDeserializer(), CANDIDATES_TOPIC);
    topology.addProcessor(PROCESSOR, () -> new CandidateGrouper(serdes.of(Candidate.class).deserializer(), selector,
        scorer, candidateLog.get(), metrics, settings, service), SOURCE);
    // Caching: the state of a group opened and answered within one commit interval never reaches RocksDB or the
    // changelog.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUP_STORE),
        strings, new GroupState.StateSerde()).withCachingEnabled(), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ANSWERED_STORE),
        strings, Serdes.Long()).withCachingEnabled(), PROCESSOR);
    topology.addSink(ANSWERS_SINK, Topics.ANSWERS.name(), strings.serializer(),
        serdes.of(RankedAnswer.class).serializer(), PROCESSOR);
    topology.addSink(DEAD_LETTERS_SINK, Topics.DEAD_LETTERS.name(), strings.serializer(),
        serdes.of(DeadLetter.class).serializer(), PROCESSOR);
    return topology;
  }
}
