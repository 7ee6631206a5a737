package dev.languageranker.platform.testing;

import dev.languageranker.embedded.EmbeddedKafka;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives tests a real broker as a {@link KafkaBroker} parameter. By default the in-process KRaft broker, started
 * once per test JVM (a shutdown hook stops it); with {@code -Dkafka.tests=docker} an {@code apache/kafka}
 * container, and the test is skipped when no Docker engine is there.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  /** Image of the container broker; override with -Dkafka.tests.image. */
  static final String DEFAULT_IMAGE = "apache/kafka:3.9.1";

  private static KafkaBroker broker;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared();
  }

  /** The broker of this JVM, started on first use. */
  public static synchronized KafkaBroker shared() {
    if (broker == null) {
      broker = "docker".equals(System.getProperty("kafka.tests")) ? startContainer() : startEmbedded();
    }
    return broker;
  }

  private static KafkaBroker startEmbedded() {
    EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
    return kafka::bootstrapServers;
  }

  private static KafkaBroker startContainer() {
    Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
        "-Dkafka.tests=docker but no Docker engine is available");
    KafkaContainer container = new KafkaContainer(System.getProperty("kafka.tests.image", DEFAULT_IMAGE));
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
    return container::getBootstrapServers;
  }
}
