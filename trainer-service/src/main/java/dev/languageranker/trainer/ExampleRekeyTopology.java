package dev.languageranker.trainer;

import dev.languageranker.events.TrainingExample;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Re-keys {@code lr.training-examples} (keyed by requestId) by rankerId into {@code lr.training-examples-by-ranker},
 * exactly once, so that every example of a ranker lands in the same partition and so with the one trainer instance
 * that owns that partition. Undecodable records go to dead letters (the Streams deserialization handler).
 */
final class ExampleRekeyTopology {
  private ExampleRekeyTopology() {}

  static Topology build(EventSerdes serdes) {
    StreamsBuilder builder = new StreamsBuilder();
    var serde = serdes.of(TrainingExample.class);
    builder.stream(Topics.TRAINING_EXAMPLES.name(), Consumed.with(Serdes.String(), serde).withName("training-examples"))
        .selectKey((requestId, example) -> example.getRankerId(), Named.as("key-by-ranker"))
        .to(Topics.TRAINING_EXAMPLES_BY_RANKER.name(),
            Produced.with(Serdes.String(), serde).withName("examples-by-ranker"));
    return builder.build();
  }
}
