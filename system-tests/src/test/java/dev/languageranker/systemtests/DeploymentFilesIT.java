package dev.languageranker.systemtests;

import dev.languageranker.cli.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.KafkaAccess;
import dev.languageranker.platform.kafka.ServiceAccess;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.metrics.HealthCheck;
import dev.languageranker.platform.metrics.MetricsServer;
import dev.languageranker.platform.metrics.ServiceMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The deployment files (docker/, k8s/) without Docker or a cluster: every YAML parses and each resource has what its
 * kind requires and refers to things that exist; KEDA never scales past the partitions; each Deployment logs in as
 * its own KafkaUser; the compose file and the kustomize overlays pass their own tools; each image is multi-stage,
 * non-root and health-checked, builds one module and runs that module's main class, and the health check command
 * works against a real /health endpoint.
 */
class DeploymentFilesIT {
  /** The Dockerfile of every service image; SERVICE names the module. */
  private static final String SERVICE_DOCKERFILE = "docker/service/Dockerfile";
  private static final Path BASE_TOPICS = RepositoryFiles.path("k8s/base/kafka/topics.yaml");

  /** Every resource of every YAML file under k8s/, with the file it came from. */
  private record Resource(Path file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.at("/metadata/name").asText();
    }

    @Override
    public String toString() {
      return RepositoryFiles.ROOT.relativize(file) + ": " + kind() + " " + name();
    }
  }

  private static List<Resource> k8sResources() {
    List<Resource> resources = new ArrayList<>();
    for (Path file : RepositoryFiles.filesUnder("k8s", ".yaml", ".yml")) {
      RepositoryFiles.documents(file).forEach(node -> resources.add(new Resource(file, node)));
    }
    return resources;
  }

  private static List<Resource> base() {
    return k8sResources().stream().filter(r -> r.file().startsWith(RepositoryFiles.path("k8s/base"))).toList();
  }

  /** Files a kustomization applies as patches: partial resources, checked against what they patch. */
  private static Set<Path> patchFiles() {
    Set<Path> patches = new TreeSet<>();
    for (Path file : RepositoryFiles.filesUnder("k8s", "kustomization.yaml")) {
      RepositoryFiles.documents(file).get(0).path("patches").forEach(p -> {
        if (p.hasNonNull("path")) {
          patches.add(file.getParent().resolve(p.path("path").asText()).normalize());
        }
      });
    }
    return patches;
  }

  @Test
  void everyKubernetesResourceHasWhatItsKindRequires() {
    Set<Path> patches = patchFiles();
    List<Resource> resources = k8sResources().stream().filter(r -> !patches.contains(r.file())).toList();
    assertTrue(resources.size() > 20, "resources found: " + resources.size());
    Set<String> baseNames = base().stream().map(r -> r.kind() + "/" + r.name()).collect(Collectors.toSet());
    for (Resource patch : k8sResources().stream().filter(r -> patches.contains(r.file())).toList()) {
      assertTrue(baseNames.contains(patch.kind() + "/" + patch.name()), patch + " patches nothing in k8s/base");
    }
    for (Resource r : resources) {
      JsonNode n = r.node();
      require(r, "/kind");
      if (!r.kind().equals("Kustomization")) {
        require(r, "/apiVersion");
        require(r, "/metadata/name");
      }
      switch (r.kind()) {
        case "Kustomization" -> {
          for (String field : List.of("resources", "patches")) {
            for (JsonNode entry : n.path(field)) {
              String path = entry.isTextual() ? entry.asText() : entry.path("path").asText(null);
              if (path != null) {
                assertTrue(Files.exists(r.file().getParent().resolve(path)), r + " refers to missing " + path);
              }
            }
          }
        }
        case "Deployment" -> {
          JsonNode selector = require(r, "/spec/selector/matchLabels");
          JsonNode labels = require(r, "/spec/template/metadata/labels");
          selector.fields().forEachRemaining(e -> assertEquals(e.getValue(), labels.get(e.getKey()), r + " selector"));
          JsonNode containers = require(r, "/spec/template/spec/containers");
          assertFalse(containers.isEmpty(), r + " has no containers");
          for (JsonNode c : containers) {
            for (String field : List.of("/name", "/image", "/ports/0/name", "/ports/0/containerPort")) {
              assertFalse(c.at(field).isMissingNode(), r + " container lacks " + field);
            }
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
              assertEquals("/health", c.at("/" + probe + "/httpGet/path").asText(), r + " " + probe);
            }
          }
          assertTrue(n.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean(), r + " runs as non-root");
        }
        case "Service" -> {
          require(r, "/spec/selector");
          require(r, "/spec/ports/0/port");
        }
        case "ConfigMap" -> require(r, "/data");
        case "Secret" -> assertTrue(n.has("data") || n.has("stringData"), r + " has no data");
        case "Namespace" -> {
        }
        case "PersistentVolumeClaim" -> {
          require(r, "/spec/accessModes/0");
          require(r, "/spec/resources/requests/storage");
        }
        case "PodMonitor" -> {
          require(r, "/spec/selector/matchLabels");
          require(r, "/spec/podMetricsEndpoints/0/port");
        }
        case "TriggerAuthentication" -> {
          for (JsonNode ref : require(r, "/spec/secretTargetRef")) {
            for (String field : List.of("parameter", "name", "key")) {
              assertTrue(ref.hasNonNull(field), r + " secretTargetRef lacks " + field);
            }
          }
        }
        case "ScaledObject" -> {
          require(r, "/spec/scaleTargetRef/name");
          require(r, "/spec/maxReplicaCount");
          JsonNode trigger = require(r, "/spec/triggers/0");
          assertEquals("kafka", trigger.path("type").asText(), r.toString());
          for (String field : List.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold")) {
            assertTrue(trigger.path("metadata").hasNonNull(field), r + " trigger lacks " + field);
          }
          assertTrue(Integer.parseInt(trigger.at("/metadata/lagThreshold").asText()) > 0, r + " lagThreshold");
          require(r, "/spec/triggers/0/authenticationRef/name");
        }
        case "KafkaTopic" -> {
          require(r, "/spec/partitions");
          require(r, "/spec/replicas");
          require(r, "/metadata/labels/strimzi.io~1cluster");
        }
        case "KafkaUser" -> {
          require(r, "/spec/authentication/type");
          require(r, "/spec/authorization/acls/0/resource/type");
          require(r, "/metadata/labels/strimzi.io~1cluster");
        }
        case "Kafka" -> {
          require(r, "/spec/kafka/listeners/0/name");
          require(r, "/spec/entityOperator/topicOperator");
          require(r, "/spec/entityOperator/userOperator");
        }
        case "KafkaNodePool" -> {
          require(r, "/spec/replicas");
          require(r, "/spec/roles/0");
          require(r, "/spec/storage/type");
        }
        default -> fail(r + ": no requirements known for kind " + r.kind() + "; add them to this test");
      }
    }
  }

  @Test
  void referencesBetweenBaseResourcesResolve() {
    List<Resource> base = base();
    Map<String, JsonNode> deployments = byName(base, "Deployment");
    Set<String> ports = new TreeSet<>();
    deployments.values().forEach(d -> d.at("/spec/template/spec/containers").forEach(
        c -> c.path("ports").forEach(p -> ports.add(p.path("name").asText()))));
    for (Resource service : base.stream().filter(r -> r.kind().equals("Service")).toList()) {
      JsonNode selector = service.node().at("/spec/selector");
      assertTrue(deployments.values().stream().anyMatch(d -> matches(selector, d.at("/spec/template/metadata/labels"))),
          service + " selects no Deployment's pods");
    }
    for (Resource monitor : base.stream().filter(r -> r.kind().equals("PodMonitor")).toList()) {
      JsonNode selector = monitor.node().at("/spec/selector/matchLabels");
      // kustomize's labels (includeTemplates) add app.kubernetes.io/part-of to every pod template.
      JsonNode partOf = RepositoryFiles.documents(RepositoryFiles.path("k8s/base/kustomization.yaml")).get(0)
          .at("/labels/0");
      assertTrue(partOf.path("includeTemplates").asBoolean(), "kustomize labels must reach the pod templates");
      assertTrue(matches(selector, partOf.path("pairs")), monitor + " selects the pods kustomize labels");
      monitor.node().at("/spec/podMetricsEndpoints").forEach(e -> assertTrue(ports.contains(e.path("port").asText()),
          monitor + " scrapes port " + e.path("port").asText() + ", which no container has"));
    }
    Set<String> triggerAuthentications = byName(base, "TriggerAuthentication").keySet();
    base.stream().filter(r -> r.kind().equals("ScaledObject")).forEach(r -> {
      assertTrue(deployments.containsKey(r.node().at("/spec/scaleTargetRef/name").asText()), r + " target");
      assertTrue(triggerAuthentications.contains(r.node().at("/spec/triggers/0/authenticationRef/name").asText()),
          r.toString());
    });
  }

  @Test
  void kedaScalesEachServiceOnItsOwnGroupAndNeverPastThePartitions() {
    Map<String, Integer> partitions = RepositoryFiles.documents(BASE_TOPICS).stream().collect(Collectors.toMap(
        t -> t.at("/spec/topicName").asText(), t -> t.at("/spec/partitions").asInt()));
    Map<String, JsonNode> scaled = byName(k8sResources(), "ScaledObject");
    assertEquals(Set.of("lr-generator", "lr-ranker", "lr-labeler"), scaled.keySet());
    for (KafkaAccess access : List.of(ServiceAccess.GENERATOR, ServiceAccess.RANKER, ServiceAccess.LABELER)) {
      JsonNode so = scaled.get("lr-" + access.service());
      assertEquals("lr-" + access.service(), so.at("/spec/scaleTargetRef/name").asText());
      JsonNode trigger = so.at("/spec/triggers/0/metadata");
      assertEquals(access.groups().get(0), trigger.path("consumerGroup").asText(), access.service());
      String topic = trigger.path("topic").asText();
      assertTrue(access.consumes().stream().map(Topic::name).anyMatch(topic::equals),
          access.service() + " does not consume " + topic);
      assertEquals("false", trigger.path("allowIdleConsumers").asText());
      assertTrue(so.at("/spec/maxReplicaCount").asInt() <= partitions.get(topic),
          access.service() + ": maxReplicaCount above the " + partitions.get(topic) + " partitions of " + topic);
      assertTrue(so.at("/spec/minReplicaCount").asInt() >= 1, access.service());
    }
    // The scaler logs in as a user allowed to describe exactly these groups and topics.
    Set<String> scaledGroups = new TreeSet<>();
    Set<String> scaledTopics = new TreeSet<>();
    scaled.values().forEach(so -> {
      scaledGroups.add(so.at("/spec/triggers/0/metadata/consumerGroup").asText());
      scaledTopics.add(so.at("/spec/triggers/0/metadata/topic").asText());
    });
    assertEquals(new TreeSet<>(ServiceAccess.AUTOSCALER.describedGroups()), scaledGroups);
    Set<String> describedTopics = new TreeSet<>();
    ServiceAccess.AUTOSCALER.describedTopics().forEach(t -> describedTopics.add(t.name()));
    assertEquals(describedTopics, scaledTopics);
    JsonNode auth = byName(k8sResources(), "TriggerAuthentication").get("lr-kafka-keda");
    assertTrue(StreamSupport.stream(auth.at("/spec/secretTargetRef").spliterator(), false)
        .anyMatch(ref -> ref.path("name").asText().equals(ServiceAccess.AUTOSCALER.user())
            && ref.path("key").asText().equals("password")));
  }

  @Test
  void eachDeploymentLogsInAsItsOwnKafkaUserOverTls() {
    Map<String, JsonNode> deployments = byName(base(), "Deployment");
    List<KafkaAccess> deployed = new ArrayList<>(ServiceAccess.SERVICES);
    deployed.add(ServiceAccess.DASHBOARD);
    assertEquals(deployed.stream().map(KafkaAccess::user).collect(Collectors.toCollection(TreeSet::new)),
        new TreeSet<>(deployments.keySet()));
    for (KafkaAccess access : deployed) {
      JsonNode pod = deployments.get(access.user()).at("/spec/template/spec");
      JsonNode container = pod.at("/containers/0");
      JsonNode jaas = StreamSupport.stream(container.path("env").spliterator(), false)
          .filter(e -> e.path("name").asText().equals("LR_KAFKA_SASL_JAAS_CONFIG")).findFirst()
          .orElseThrow(() -> new AssertionError(access.user() + " has no SASL login"));
      assertEquals(access.user(), jaas.at("/valueFrom/secretKeyRef/name").asText(), "Strimzi's Secret of the user");
      assertEquals("sasl.jaas.config", jaas.at("/valueFrom/secretKeyRef/key").asText());
      assertEquals("language-ranker/" + access.service(), container.path("image").asText(), access.user());
      assertTrue(StreamSupport.stream(pod.path("volumes").spliterator(), false)
          .anyMatch(v -> v.at("/secret/secretName").asText().equals("lr-cluster-ca-cert")), access.user());
      assertEquals("configMapRef", container.at("/envFrom/0").fieldNames().next());
    }
    JsonNode config = byName(base(), "ConfigMap").get("lr-config").path("data");
    assertEquals("SASL_SSL", config.path("LR_KAFKA_SECURITY_PROTOCOL").asText());
    assertEquals("SCRAM-SHA-512", config.path("LR_KAFKA_SASL_MECHANISM").asText());
    assertTrue(config.path("LR_KAFKA_SSL_TRUSTSTORE_LOCATION").asText().startsWith("/etc/lr/kafka-ca/"));
  }

  @Test
  void theOverlaysBuildWithKustomize() throws Exception {
    Optional<ExternalTool> kubectl = ExternalTool.find("kubectl");
    assumeTrue(kubectl.isPresent(), "kubectl is not installed: 'kubectl kustomize' of the overlays not run");
    // The overlays use kustomize 4+ fields (labels with includeTemplates); Debian's kubernetes-client 1.20 has v2.
    Matcher version = Pattern.compile("Kustomize Version: v(\\d+)")
        .matcher(kubectl.get().run(RepositoryFiles.ROOT, 30, "version", "--client").output());
    assumeTrue(version.find() && Integer.parseInt(version.group(1)) >= 4,
        "kubectl's built-in kustomize is older than v4: 'kubectl kustomize' of the overlays not run");
    Map<String, List<JsonNode>> built = new HashMap<>();
    for (String overlay : List.of("cpu-only", "gpu")) {
      ExternalTool.Result result = kubectl.get().run(RepositoryFiles.ROOT, 60, "kustomize", "k8s/overlays/" + overlay);
      assertEquals(0, result.exitCode(), result.output());
      Path file = Files.createTempFile("lr-" + overlay, ".yaml");
      Files.writeString(file, result.output());
      built.put(overlay, RepositoryFiles.documents(file));
      Files.delete(file);
      built.get(overlay).forEach(r -> assertEquals("language-ranker", r.at("/metadata/namespace").asText(
          r.path("kind").asText().equals("Namespace") ? "language-ranker" : ""), r.at("/metadata/name").asText()));
    }
    List<JsonNode> demo = built.get("cpu-only");
    assertTrue(ofKind(demo, "KafkaTopic").stream().allMatch(t -> t.at("/spec/replicas").asInt() == 1));
    assertEquals(1, ofKind(demo, "Kafka").size(), "the demo brings its Strimzi cluster");
    assertTrue(ofKind(demo, "ScaledObject").stream().allMatch(s -> s.at("/spec/maxReplicaCount").asInt() == 2));
    JsonNode gpuGenerator = ofKind(built.get("gpu"), "Deployment").stream()
        .filter(d -> d.at("/metadata/name").asText().equals("lr-generator")).findFirst().orElseThrow();
    JsonNode container = gpuGenerator.at("/spec/template/spec/containers/0");
    assertEquals("1", container.at("/resources/limits/nvidia.com~1gpu").asText());
    assertTrue(container.path("image").asText().startsWith("language-ranker/generator-gpu:"),
        container.path("image").asText());
    assertTrue(StreamSupport.stream(container.path("env").spliterator(), false)
        .anyMatch(
            e -> e.path("name").asText().equals("LR_GENERATOR_DEVICE") && e.path("value").asText().equals("gpu")));
  }

  @Test
  void theComposeFileIsValidForDockerCompose() throws Exception {
    JsonNode compose = RepositoryFiles.documents(RepositoryFiles.path("docker/compose.yaml")).get(0);
    JsonNode services = compose.path("services");
    for (String name : List.of("kafka", "schema-registry", "topics", "generator", "ranker", "labeler", "trainer",
        "dashboard", "prometheus", "grafana")) {
      assertTrue(services.has(name), "compose has no service " + name);
    }
    for (KafkaAccess access : ServiceAccess.SERVICES) {
      JsonNode env = services.path(access.service()).path("environment");
      assertEquals("http://schema-registry:8081", env.path("LR_SCHEMA_REGISTRY_URL").asText(), access.service());
    }
    // Each image builds the one service Dockerfile for its own module, which has a main class of its own.
    Map<String, String> modules = new TreeMap<>(Map.of("dashboard", "dashboard", "topics", "cli"));
    ServiceAccess.SERVICES.forEach(a -> modules.put(a.service(), a.service() + "-service"));
    modules.forEach((service, module) -> {
      assertEquals(SERVICE_DOCKERFILE, services.path(service).at("/build/dockerfile").asText(), service);
      assertEquals(module, services.path(service).at("/build/args/SERVICE").asText(), service);
      mainClassOf(module);
    });
    assertEquals("topics", services.at("/topics/command/0").asText());

    Optional<ExternalTool> dockerCompose = ExternalTool.find("docker-compose");
    assumeTrue(dockerCompose.isPresent(), "docker-compose is not installed: 'docker-compose config' not run");
    ExternalTool.Result result = dockerCompose.get().run(RepositoryFiles.ROOT, 60, "-f", "docker/compose.yaml",
        "config", "-q");
    assertEquals(0, result.exitCode(), result.output());
  }

  @Test
  void theMonitoringFilesParseAndGrafanaFindsItsDataSourceAndDashboards() throws Exception {
    for (Path file : RepositoryFiles.filesUnder("docker", ".yaml", ".yml")) {
      assertFalse(RepositoryFiles.documents(file).isEmpty(), file + " is empty");
    }
    JsonNode prometheus = RepositoryFiles.documents(RepositoryFiles.path("docker/prometheus/prometheus.yml")).get(0);
    assertEquals(List.of("alerts.yml"), List.of(prometheus.at("/rule_files/0").asText()));
    Set<String> jobs = new TreeSet<>();
    prometheus.path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asText()));
    Set<String> scraped = new TreeSet<>();
    ServiceAccess.SERVICES.forEach(a -> scraped.add(a.service()));
    scraped.add(ServiceAccess.DASHBOARD.service());
    assertEquals(scraped, jobs, "Prometheus scrapes every service of the compose stack");
    JsonNode source = RepositoryFiles.documents(
        RepositoryFiles.path("docker/grafana/provisioning/datasources/prometheus.yml")).get(0).at("/datasources/0");
    assertEquals("prometheus", source.path("type").asText());
    assertEquals("http://prometheus:9090", source.path("url").asText());
    JsonNode provider = RepositoryFiles.documents(
        RepositoryFiles.path("docker/grafana/provisioning/dashboards/language-ranker.yml")).get(0).at("/providers/0");
    assertEquals("/var/lib/grafana/dashboards", provider.at("/options/path").asText());
    JsonNode compose = RepositoryFiles.documents(RepositoryFiles.path("docker/compose.yaml")).get(0);
    assertTrue(StreamSupport.stream(compose.at("/services/grafana/volumes").spliterator(), false)
        .anyMatch(v -> v.asText().equals("./grafana/dashboards:" + provider.at("/options/path").asText() + ":ro")));
    List<Path> dashboards = RepositoryFiles.filesUnder("docker/grafana/dashboards", ".json");
    assertFalse(dashboards.isEmpty());
    for (Path file : dashboards) {
      JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
      assertFalse(dashboard.path("uid").asText().isEmpty(), file + " uid");
      for (JsonNode panel : dashboard.path("panels")) {
        assertFalse(panel.path("title").asText().isEmpty(), file + ": a panel without a title");
        for (JsonNode target : panel.path("targets")) {
          assertEquals(source.path("uid").asText(), target.at("/datasource/uid").asText(),
              panel.path("title").asText());
          assertFalse(target.path("expr").asText().isBlank(), panel.path("title").asText());
        }
      }
    }
  }

  @Test
  void everyImageIsMultiStageNonRootAndHealthChecked() throws Exception {
    List<Path> dockerfiles = RepositoryFiles.filesUnder("docker", "Dockerfile");
    assertEquals(Set.of("service", "generator-gpu"),
        dockerfiles.stream().map(f -> f.getParent().getFileName().toString()).collect(Collectors.toSet()));
    for (Path file : dockerfiles) {
      String text = Files.readString(file);
      String name = RepositoryFiles.ROOT.relativize(file).toString();
      assertTrue(Pattern.compile("(?m)^FROM .* AS build$").matcher(text).find(), name + ": build stage");
      assertTrue(text.contains("./mvnw -B"), name + ": builds with the Maven wrapper");
      assertTrue(Pattern.compile("(?m)^FROM eclipse-temurin:17-jre").matcher(text).find()
          || text.contains("COPY --from=jre"), name + ": runs on a JRE, not the JDK");
      assertTrue(Pattern.compile("(?m)^USER 10001$").matcher(text).find(), name + ": non-root user");
      assertTrue(Pattern.compile("(?m)^HEALTHCHECK .*").matcher(text).find() && text.contains("GET /health"),
          name + ": health check on /health");
      // The module's own jar, whose manifest names its main class and lib/: never the CLI's Main.
      assertTrue(text.contains("ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-Dai.djl.offline=true\", "
          + "\"-jar\", \"/app/service.jar\"]"), name + ": runs the module's jar");
      assertFalse(text.contains("dev.languageranker.cli.Main") || text.contains("-pl cli"), name + ": carries the CLI");
      assertTrue(text.contains("COPY --from=build /out/ /app/"), name + ": only the module's jar and lib/");
    }

    Map<String, Stage> stages = stages(RepositoryFiles.path(SERVICE_DOCKERFILE));
    String text = Files.readString(RepositoryFiles.path(SERVICE_DOCKERFILE));
    assertTrue(text.contains("package -pl \"${SERVICE}\" -am"), "builds only the SERVICE module");
    assertTrue(text.contains("cp -r \"${SERVICE}/target/lib\" /out/lib"), "carries only its runtime classpath");
    assertTrue(Pattern.compile("(?m)^FROM \\$\\{SERVICE}$").matcher(text).find(), "the image is the SERVICE stage");
    for (KafkaAccess access : ServiceAccess.SERVICES) {
      String module = access.service() + "-service";
      mainClassOf(module);
      assertEquals("9404", environment(stages, module).get("LR_METRICS_PORT"), module);
      assertTrue(instructions(stages, module).contains("EXPOSE 9404"), module + " exposes the metrics port");
      assertFalse(instructions(stages, module).contains("HEALTHCHECK NONE"), module + " is health-checked");
    }
    assertTrue(instructions(stages, "generator-service").contains("COPY models/demo/ /app/models/demo/"),
        "the generator ships the demo model");
    assertTrue(instructions(stages, "labeler-service").stream()
        .anyMatch(i -> i.startsWith("RUN apt-get") && i.contains("python3") && i.contains("util-linux")),
        "the labeler has its code sandbox's python3 and util-linux");
    assertEquals("/app/state/trainer", environment(stages, "trainer-service").get("LR_TRAINER_DATA_DIR"));
    assertEquals("0.0.0.0", environment(stages, "dashboard").get("LR_DASHBOARD_BIND"), "the dashboard binds all");
    assertEquals("8080", environment(stages, "dashboard").get("LR_DASHBOARD_PORT"));
    assertTrue(instructions(stages, "dashboard").contains("EXPOSE 8080"), "the dashboard exposes its page");
    mainClassOf("dashboard");
    for (Stage stage : stages.values().stream().filter(st -> !st.name().isEmpty()).toList()) {
      assertFalse(instructions(stages, stage.name()).stream().anyMatch(i -> i.startsWith("USER")),
          stage.name() + ": the final stage switches to the non-root user, after installing");
    }

    String gpu = Files.readString(RepositoryFiles.path("docker/generator-gpu/Dockerfile"));
    assertTrue(gpu.contains("-Pgpu"), "the GPU image builds with the gpu profile");
    assertTrue(gpu.contains("package -pl generator-service -am"), "the GPU image builds only the generator");
    assertTrue(gpu.contains("COPY models/demo/ /app/models/demo/"), "the GPU image ships the demo model");
  }

  @Test
  void everyDeploymentRunsItsImagesServiceAndTopicsACliCommand() throws Exception {
    JsonNode services = RepositoryFiles.documents(RepositoryFiles.path("docker/compose.yaml")).get(0).path("services");
    Map<String, String> moduleOfImage = new TreeMap<>();
    services.fields().forEachRemaining(e -> {
      if (e.getValue().at("/build/dockerfile").asText().equals(SERVICE_DOCKERFILE)) {
        moduleOfImage.put(e.getValue().path("image").asText().replace(":latest", ""),
            e.getValue().at("/build/args/SERVICE").asText());
      }
    });
    for (Resource deployment : base().stream().filter(r -> r.kind().equals("Deployment")).toList()) {
      JsonNode container = deployment.node().at("/spec/template/spec/containers/0");
      // The image's entry point is its module's main class, which takes no arguments.
      assertTrue(container.path("args").isMissingNode() && container.path("command").isMissingNode(),
          deployment + " passes a command to its image");
      String module = moduleOfImage.get(container.path("image").asText());
      assertTrue(module != null, deployment + ": no compose service builds " + container.path("image").asText());
      mainClassOf(module);
    }
    Set<String> commands = Main.commandLine().getSubcommands().keySet();
    assertTrue(commands.contains(services.at("/topics/command/0").asText()), "topics is a command of the CLI");
    ServiceAccess.SERVICES.forEach(a -> assertTrue(commands.contains(a.service()), "the CLI runs " + a.service()));
  }

  @Test
  void everyContainersEnvironmentIsAValidConfiguration() throws Exception {
    Map<String, String> configMap = new TreeMap<>();
    byName(base(), "ConfigMap").get("lr-config").path("data").fields()
        .forEachRemaining(e -> configMap.put(e.getKey(), e.getValue().asText()));
    JsonNode compose = RepositoryFiles.documents(RepositoryFiles.path("docker/compose.yaml")).get(0);
    Map<String, Stage> stages = stages(RepositoryFiles.path(SERVICE_DOCKERFILE));
    List<Resource> deployments = k8sResources().stream().filter(r -> r.kind().equals("Deployment")).toList();
    int checked = 0;
    for (Map.Entry<String, JsonNode> service : iterable(compose.path("services").fields())) {
      if (!service.getValue().at("/build/dockerfile").asText().equals(SERVICE_DOCKERFILE)) {
        continue;
      }
      String module = service.getValue().at("/build/args/SERVICE").asText();
      Map<String, String> imageEnv = environment(stages, module);
      assertValid(module + " image", imageEnv);
      Map<String, String> env = new TreeMap<>(imageEnv);
      service.getValue().path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      assertValid("compose service " + service.getKey(), env);
      checked++;
      String image = service.getValue().path("image").asText().replace(":latest", "");
      for (Resource deployment : deployments) {
        // A patch (the gpu overlay's) names no image: it is the image of what it patches.
        String deployed = deployment.node().at("/spec/template/spec/containers/0/image")
            .asText("language-ranker/" + deployment.name().substring(3));
        if (deployed.equals(image)) {
          assertValid(deployment.toString(), deploymentEnvironment(deployment, imageEnv, configMap));
          checked++;
        }
      }
    }
    // The gpu overlay's generator runs the GPU image (kustomize's images rewrite the name).
    Map<String, String> gpuEnv = environment(stages(RepositoryFiles.path("docker/generator-gpu/Dockerfile")), "");
    assertValid("generator-gpu image", gpuEnv);
    for (Resource deployment : deployments) {
      if (deployment.file().startsWith(RepositoryFiles.path("k8s/overlays/gpu"))) {
        assertValid(deployment + " on the GPU image", deploymentEnvironment(deployment, gpuEnv, configMap));
        checked++;
      }
    }
    assertTrue(checked >= 13, "environments checked: " + checked);
  }

  private static Map<String, String> deploymentEnvironment(Resource deployment, Map<String, String> imageEnv,
      Map<String, String> configMap) {
    Map<String, String> env = new TreeMap<>(imageEnv);
    env.putAll(configMap);
    // Secret values are not here; any text stands for them.
    deployment.node().at("/spec/template/spec/containers/0/env")
        .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText("from-a-secret")));
    return env;
  }

  /** A stage of a Dockerfile: what it is built on (another stage or an image) and its instructions, lines joined. */
  private record Stage(String name, String from, List<String> instructions) {}

  /** The stages of a Dockerfile by name; the last, unnamed stage is "". */
  private static Map<String, Stage> stages(Path dockerfile) throws Exception {
    String text = Files.readString(dockerfile).replace("\\\n", " ");
    Map<String, Stage> stages = new java.util.LinkedHashMap<>();
    Stage current = null;
    for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
      Matcher from = Pattern.compile("FROM (\\S+)(?: AS (\\S+))?").matcher(line);
      if (from.matches()) {
        current = new Stage(from.group(2) == null ? "" : from.group(2), from.group(1), new ArrayList<>());
        stages.put(current.name(), current);
      } else if (current != null) {
        current.instructions().add(line.replaceAll("\\s+", " "));
      }
    }
    return stages;
  }

  /** The instructions of a stage and of the stages it is built on, the earliest first. */
  private static List<String> instructions(Map<String, Stage> stages, String name) {
    Stage stage = stages.get(name);
    assertTrue(stage != null, "no stage " + name);
    List<String> all = new ArrayList<>(
        stages.containsKey(stage.from()) ? instructions(stages, stage.from()) : List.of());
    all.addAll(stage.instructions());
    return all;
  }

  /** The environment a stage's image starts with: its ENV instructions and those of the stages it is built on. */
  private static Map<String, String> environment(Map<String, Stage> stages, String name) {
    Map<String, String> env = new TreeMap<>();
    for (String instruction : instructions(stages, name)) {
      if (instruction.startsWith("ENV ")) {
        Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)").matcher(instruction.substring(4));
        while (pair.find()) {
          env.put(pair.group(1), pair.group(2).replace("\"", ""));
        }
      }
    }
    return env;
  }

  /**
   * The main class a service image's module runs: its POM's main.class (the jar's Main-Class), a class of the module
   * with a static main, and the module copies its runtime classpath to target/lib for the image.
   */
  private static void mainClassOf(String module) {
    try {
      String pom = Files.readString(RepositoryFiles.path(module + "/pom.xml"));
      Matcher name = Pattern.compile("<main\\.class>([\\w.]+)</main\\.class>").matcher(pom);
      assertTrue(name.find(), module + " names no main.class");
      assertTrue(pom.contains("<artifactId>maven-dependency-plugin</artifactId>"), module + " fills no target/lib");
      assertTrue(Files.exists(RepositoryFiles.path(module + "/src/main/java/" + name.group(1).replace('.', '/')
          + ".java")), name.group(1) + " is not a class of " + module);
      java.lang.reflect.Method main = Class.forName(name.group(1)).getMethod("main", String[].class);
      assertTrue(java.lang.reflect.Modifier.isStatic(main.getModifiers()), name.group(1) + ".main is not static");
    } catch (Exception e) {
      throw new AssertionError(module + ": " + e, e);
    }
  }

  private static void assertValid(String where, Map<String, String> environment) {
    try {
      LrConfig.builder().environment(environment).build();
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": " + e.getMessage(), e);
    }
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    return () -> iterator;
  }

  @Test
  void theImagesHealthCheckCommandTellsUpFromDown() throws Exception {
    Optional<ExternalTool> bash = ExternalTool.find("bash");
    assumeTrue(bash.isPresent(), "no bash on this machine");
    Map<String, Stage> services = stages(RepositoryFiles.path(SERVICE_DOCKERFILE));
    Map<String, Stage> gpu = stages(RepositoryFiles.path("docker/generator-gpu/Dockerfile"));
    // Each image asks its own port: a service its metrics port, the dashboard its page's.
    record Image(String name, Map<String, Stage> stages, String stage, String portVariable) {}
    for (Image image : List.of(new Image("ranker", services, "ranker-service", "LR_METRICS_PORT"),
        new Image("dashboard", services, "dashboard", "LR_DASHBOARD_PORT"),
        new Image("generator-gpu", gpu, "", "LR_METRICS_PORT"))) {
      String healthcheck = instructions(image.stages(), image.stage()).stream()
          .filter(i -> i.startsWith("HEALTHCHECK")).reduce((a, b) -> b).orElseThrow();
      Matcher m = Pattern.compile("CMD \\[\"bash\", \"-c\", \"(.*)\"\\]").matcher(healthcheck);
      assertTrue(m.find(), image.name() + ": the HEALTHCHECK runs bash -c");
      // The Dockerfile's JSON string, unescaped as Docker does.
      String command = new ObjectMapper().readValue("\"" + m.group(1) + "\"", String.class);
      AtomicBoolean up = new AtomicBoolean(true);
      try (ServiceMetrics metrics = new ServiceMetrics("health-test");
          MetricsServer server = new MetricsServer("127.0.0.1", 0, metrics)) {
        server.addCheck(image.name(),
            () -> up.get() ? HealthCheck.Status.up("RUNNING") : HealthCheck.Status.down("ERROR"));
        Map<String, String> env = environment(image.stages(), image.stage());
        assertTrue(env.containsKey(image.portVariable()), image.name() + " sets " + image.portVariable());
        env.put(image.portVariable(), String.valueOf(server.port()));
        // The image's settings, with the port of this test's server: the container's view.
        String inImage = env.entrySet().stream().filter(e -> e.getKey().startsWith("LR_"))
            .map(e -> "export " + e.getKey() + "='" + e.getValue() + "'; ")
            .collect(Collectors.joining()) + command;
        assertEquals(0, bash.get().run(RepositoryFiles.ROOT, 10, "-c", inImage).exitCode(), image.name() + " healthy");
        up.set(false);
        assertEquals(1, bash.get().run(RepositoryFiles.ROOT, 10, "-c", inImage).exitCode(),
            image.name() + " unhealthy");
      }
    }
  }

  private static JsonNode require(Resource r, String pointer) {
    JsonNode node = r.node().at(pointer);
    assertFalse(node.isMissingNode() || node.isNull(), r + " lacks " + pointer);
    return node;
  }

  private static Map<String, JsonNode> byName(List<Resource> resources, String kind) {
    Map<String, JsonNode> byName = new HashMap<>();
    resources.stream().filter(r -> r.kind().equals(kind)).forEach(r -> byName.put(r.name(), r.node()));
    return byName;
  }

  private static List<JsonNode> ofKind(List<JsonNode> nodes, String kind) {
    return nodes.stream().filter(n -> n.path("kind").asText().equals(kind)).toList();
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    selector.fields().forEachRemaining(entries::add);
    return !entries.isEmpty() && entries.stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
