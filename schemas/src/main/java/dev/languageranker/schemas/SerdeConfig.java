package dev.languageranker.schemas;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the Avro serdes, read from the Kafka serde config map: the Schema Registry's URL (empty for Avro
 * single-object encoding), its credentials, request timeout and whether serializers register schemas.
 */
public record SerdeConfig(String registryUrl, String basicAuthUserInfo, Duration timeout, boolean autoRegister) {
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String TIMEOUT_MS = "schema.registry.timeout.ms";
  public static final String AUTO_REGISTER = "auto.register.schemas";

  /** Single-object encoding, no registry. */
  public static final SerdeConfig SINGLE_OBJECT = new SerdeConfig(null, null, Duration.ofSeconds(10), true);

  public boolean usesRegistry() {
    return registryUrl != null && !registryUrl.isBlank();
  }

  /** Reads the serde settings from a Kafka config map; missing keys take their defaults. */
  public static SerdeConfig from(Map<String, ?> configs) {
    Object url = configs.get(REGISTRY_URL);
    Object auth = configs.get(BASIC_AUTH_USER_INFO);
    Object timeout = configs.get(TIMEOUT_MS);
    Object autoRegister = configs.get(AUTO_REGISTER);
    return new SerdeConfig(
        url == null ? null : url.toString().trim(),
        auth == null ? null : auth.toString(),
        Duration.ofMillis(timeout == null ? 10_000 : Long.parseLong(timeout.toString().trim())),
        autoRegister == null || Boolean.parseBoolean(autoRegister.toString().trim()));
  }

  /** A client for this config's registry, or null when it uses single-object encoding. */
  public SchemaRegistryClient newClient() {
    return usesRegistry() ? new SchemaRegistryClient(registryUrl, basicAuthUserInfo, timeout) : null;
  }
}
