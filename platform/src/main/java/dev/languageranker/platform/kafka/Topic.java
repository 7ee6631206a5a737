package dev.languageranker.platform.kafka;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One topic of the catalogue: its name, the Avro class of its values, what its key is, and the topic configs it
 * needs. {@code fixedPartitions} 0 means the configured default.
 */
public record Topic<V extends SpecificRecord>(
    String name, Class<V> valueType, String key, int fixedPartitions, Map<String, String> configs, String doc) {

  public Topic {
    configs = Map.copyOf(configs);
  }
}
