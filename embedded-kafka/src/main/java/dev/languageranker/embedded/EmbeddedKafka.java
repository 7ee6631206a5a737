package dev.languageranker.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, one node) running in this JVM: the
 * laptop mode's broker and the tests' broker. Its data directory is kept across restarts unless it is temporary.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final Path dataDir;
  private final boolean temporary;
  private final int port;
  private final KafkaRaftServer server;
  private final long startupMillis;

  private EmbeddedKafka(Path dataDir, boolean temporary, int port, KafkaRaftServer server, long startupMillis) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.port = port;
    this.server = server;
    this.startupMillis = startupMillis;
  }

  /** Starts a broker on a fresh temporary directory and a free port; the directory is deleted on close. */
  public static EmbeddedKafka startTemporary() {
    try {
      return start(Files.createTempDirectory("lr-kafka-"), 0, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a broker whose data lives in {@code dataDir} (formatted on first use, reused afterwards).
   *
   * @param port client port, 0 for a free one
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, false);
  }

  private static EmbeddedKafka start(Path dataDir, int requestedPort, boolean temporary) {
    long started = System.nanoTime();
    int port = requestedPort == 0 ? freePort() : requestedPort;
    int controllerPort = freePort();
    Path logDir = dataDir.toAbsolutePath().resolve("log");
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners",
        "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", "6");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "6");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "6");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("min.insync.replicas", "1");
    props.put("default.replication.factor", "1");
    // Consumer groups form at once instead of waiting 3 s for more members.
    props.put("group.initial.rebalance.delay.ms", "0");
    // The default 128 MiB dedupe buffer can exhaust a small heap, and a broker fault halts the whole JVM.
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    props.put("auto.create.topics.enable", "false");
    KafkaConfig config = new KafkaConfig(props, false);
    try {
      Files.createDirectories(logDir);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(logDir);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka data directory " + logDir + ": " + e.getMessage(), e);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    long millis = (System.nanoTime() - started) / 1_000_000;
    log.info("embedded Kafka broker on 127.0.0.1:{} (data {}) started in {} ms", port, dataDir, millis);
    return new EmbeddedKafka(dataDir, temporary, port, server, millis);
  }

  private static void format(Path logDir) throws Exception {
    new Formatter()
        .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
        .setClusterId(Uuid.randomUuid().toString())
        .setNodeId(1)
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setMetadataLogDirectory(logDir.toString())
        .setDirectories(java.util.List.of(logDir.toString()))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setUnstableFeatureVersionsEnabled(false)
        .run();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** How long startup took, formatting included. */
  public long startupMillis() {
    return startupMillis;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (temporary) {
      deleteRecursively(dataDir);
    }
    log.info("embedded Kafka broker on port {} stopped", port);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
