package dev.languageranker.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each service image carries: the packaged runtime classpath of its module ({@code target/lib}, which
 * docker/service/Dockerfile copies) holds no Kafka broker, no other service, no demo model and no command line; the
 * labeler and the dashboard hold no DJL or PyTorch either.
 */
class ServiceClasspathIT {
  /** Jars no service may carry: the broker and what only the command line, tests and the demo use. */
  private static final Pattern NEVER = Pattern.compile("(kafka_2\\.13|kafka-server|kafka-raft|kafka-metadata"
      + "|embedded-kafka|demo-model|cli|cli-common|evaluation|benchmarks|system-tests)-\\d.*\\.jar");
  private static final Pattern SERVICE = Pattern.compile(
      "(generator-service|ranker-service|labeler-service|trainer-service|dashboard)-\\d.*\\.jar");
  private static final Pattern DJL = Pattern.compile("(api|pytorch-engine|pytorch-jni|pytorch-native-.*|tokenizers"
      + "|ranker-core)-\\d.*\\.jar");

  @ParameterizedTest
  @ValueSource(strings = {"generator-service", "ranker-service", "labeler-service", "trainer-service", "dashboard"})
  void aServiceCarriesNoBrokerNoOtherServiceAndNoCommandLine(String module) throws IOException {
    List<String> jars = lib(module);
    assertEquals(List.of(), jars.stream().filter(j -> NEVER.matcher(j).matches()).toList(), module);
    assertEquals(List.of(), jars.stream().filter(j -> SERVICE.matcher(j).matches()).toList(), module);
    assertTrue(jars.stream().anyMatch(j -> j.startsWith("platform-")), module + " lib without platform: " + jars);
  }

  @ParameterizedTest
  @ValueSource(strings = {"labeler-service", "dashboard"})
  void theLabelerAndTheDashboardCarryNoDjl(String module) throws IOException {
    assertEquals(List.of(), lib(module).stream().filter(j -> DJL.matcher(j).matches()).toList(), module);
  }

  @ParameterizedTest
  @ValueSource(strings = {"generator-service", "ranker-service", "trainer-service"})
  void theModelServicesCarryTheBundledPyTorch(String module) throws IOException {
    // The positive case, so that the patterns above are known to match real jar names.
    assertTrue(lib(module).stream().anyMatch(j -> j.startsWith("pytorch-native-") && DJL.matcher(j).matches()),
        module);
  }

  /** The jar names in the module's packaged lib/, which the reactor built before this module. */
  private static List<String> lib(String module) throws IOException {
    Path lib = RepositoryFiles.ROOT.resolve(module).resolve("target").resolve("lib");
    assertTrue(Files.isDirectory(lib), lib + " is missing: package the module first");
    try (Stream<Path> files = Files.list(lib)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
