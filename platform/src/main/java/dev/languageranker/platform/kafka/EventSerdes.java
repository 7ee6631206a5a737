package dev.languageranker.platform.kafka;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.schemas.AvroSerde;
import dev.languageranker.schemas.SchemaRegistryClient;
import dev.languageranker.schemas.SerdeConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;

/** Value serdes for the catalogue's topics under one configuration, sharing one Schema Registry client. */
public final class EventSerdes {
  private final SerdeConfig serdeConfig;
  private final SchemaRegistryClient registry;
  private final Map<Class<?>, AvroSerde<?>> serdes = new ConcurrentHashMap<>();

  public EventSerdes(LrConfig config) {
    this.serdeConfig = serdeConfigOf(config);
    this.registry = serdeConfig.newClient();
  }

  /** The serde settings {@code config} implies; also passed to Kafka Streams so its handlers can build serdes. */
  public static SerdeConfig serdeConfigOf(LrConfig config) {
    return new SerdeConfig(
        config.get(Settings.SCHEMA_REGISTRY_URL),
        config.get(Settings.SCHEMA_REGISTRY_BASIC_AUTH),
        config.get(Settings.SCHEMA_REGISTRY_TIMEOUT),
        config.get(Settings.SCHEMA_REGISTRY_AUTO_REGISTER));
  }

  /** Kafka-style serde properties equivalent to this configuration. */
  public static Map<String, String> serdePropertiesOf(LrConfig config) {
    SerdeConfig c = serdeConfigOf(config);
    return Map.of(
        SerdeConfig.REGISTRY_URL, c.registryUrl() == null ? "" : c.registryUrl(),
        SerdeConfig.BASIC_AUTH_USER_INFO, c.basicAuthUserInfo() == null ? "" : c.basicAuthUserInfo(),
        SerdeConfig.TIMEOUT_MS, String.valueOf(c.timeout().toMillis()),
        SerdeConfig.AUTO_REGISTER, String.valueOf(c.autoRegister()));
  }

  public boolean usesRegistry() {
    return serdeConfig.usesRegistry();
  }

  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> AvroSerde<V> of(Class<V> type) {
    return (AvroSerde<V>) serdes.computeIfAbsent(type, t -> AvroSerde.of(type, serdeConfig, registry));
  }

  public <V extends SpecificRecord> AvroSerde<V> of(Topic<V> topic) {
    return of(topic.valueType());
  }
}
