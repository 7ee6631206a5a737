package dev.languageranker.platform.kafka;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka client properties for producers, consumers, admin clients and Streams apps under one configuration. Our
 * defaults come first; {@code kafka.*} properties from the configuration override them, so SASL, TLS and tuning
 * need no code.
 */
public final class KafkaClientProperties {
  private final LrConfig config;

  public KafkaClientProperties(LrConfig config) {
    this.config = config;
  }

  public LrConfig config() {
    return config;
  }

  public Map<String, Object> admin() {
    return withOverrides(new HashMap<>());
  }

  /** An idempotent producer of raw bytes that can send the largest record of the catalogue. */
  public Map<String, Object> producer(String clientId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return withOverrides(p);
  }

  /** A transactional producer: its records become visible with the consumer offsets they are committed with. */
  public Map<String, Object> transactionalProducer(String clientId, String transactionalId) {
    Map<String, Object> p = producer(clientId);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return withOverrides(p);
  }

  /** A consumer of raw bytes (decoded with {@link RecordDecoder}) that reads only committed records. */
  public Map<String, Object> consumer(String groupId, String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.putAll(fetchSizes());
    return withOverrides(c);
  }

  /**
   * A Kafka Streams app with exactly-once processing, our commit interval and state directory, and undecodable
   * records routed to the dead-letter topic.
   */
  public Map<String, Object> streams(String applicationId, String service) {
    Map<String, Object> s = new HashMap<>();
    s.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get(Settings.STREAMS_COMMIT_INTERVAL).toMillis());
    s.put(StreamsConfig.STATE_DIR_CONFIG, config.get(Settings.STREAMS_STATE_DIR).toString());
    s.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, (long) config.get(Settings.STREAMS_CACHE_BYTES));
    s.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get(Settings.TOPICS_REPLICATION_FACTOR));
    s.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    s.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    s.put(DeadLetterDeserializationHandler.SERVICE_CONFIG, service);
    s.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_RECORD_BYTES);
    fetchSizes().forEach((k, v) -> s.put(StreamsConfig.consumerPrefix(k), v));
    // With exactly-once, the first send after a commit often meets CONCURRENT_TRANSACTIONS while the broker
    // finishes writing the previous transaction's markers; the default 100 ms retry backoff then stalls the
    // stream thread at its next commit. Retry sooner.
    s.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
    // Streams defaults its producers to linger.ms=100; with exactly-once every commit flushes anyway, and sending
    // as records are produced keeps the commit (and so the answer latency) short.
    s.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    s.putAll(EventSerdes.serdePropertiesOf(config));
    return withOverrides(s);
  }

  /**
   * Candidates with large features are 16-64 KiB each: the default 1 MiB per-partition fetch caps a six-partition
   * read at a few MB per round trip, so fetches are allowed to be larger.
   */
  private static Map<String, Object> fetchSizes() {
    return Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
  }

  private Map<String, Object> withOverrides(Map<String, Object> properties) {
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.get(Settings.BOOTSTRAP_SERVERS));
    properties.putAll(config.kafkaProperties());
    return properties;
  }
}
