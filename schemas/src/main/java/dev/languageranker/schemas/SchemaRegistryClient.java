package dev.languageranker.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API, limited to the calls the serdes need: register, look up a
 * schema's id under a subject, fetch a schema by id, and check compatibility. Results that cannot change (ids and
 * schemas) are cached.
 *
 * <p>Written over {@code java.net.http} because Confluent's client jar is not on Maven Central.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final HttpClient http;
  private final Duration timeout;
  private final String authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  /** Outcome of a compatibility check: whether it is compatible and, when not, the registry's reasons. */
  public record Compatibility(boolean compatible, List<String> messages) {}

  /**
   * @param urls comma-separated base URLs; later ones are tried when an earlier one cannot be reached
   * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null
   * @param timeout per-request timeout
   */
  public SchemaRegistryClient(String urls, String basicAuthUserInfo, Duration timeout) {
    Objects.requireNonNull(urls, "urls");
    this.baseUrls = new ArrayList<>();
    for (String url : urls.split(",")) {
      String trimmed = url.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI uri = URI.create(trimmed.endsWith("/") ? trimmed : trimmed + "/");
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("schema registry URL must be http or https: " + trimmed);
      }
      baseUrls.add(uri);
    }
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("no schema registry URL given");
    }
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isBlank()
        ? null
        : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
  }

  /** Registers {@code schema} under {@code subject} (idempotent on the registry) and returns its global id. */
  public int register(String subject, Schema schema) {
    return idsBySubjectSchema.computeIfAbsent(
        new SubjectSchema(subject, schema),
        key -> {
          JsonNode response = call("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema));
          int id = response.path("id").asInt(-1);
          if (id < 0) {
            throw new SchemaRegistryException("registry answered without an id: " + response, 200, -1, null);
          }
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  /** Returns the id of {@code schema} if it is already registered under {@code subject}; fails with 40403 if not. */
  public int lookUp(String subject, Schema schema) {
    return idsBySubjectSchema.computeIfAbsent(
        new SubjectSchema(subject, schema),
        key -> {
          JsonNode response = call("POST", "subjects/" + encode(subject), schemaBody(schema));
          int id = response.path("id").asInt(-1);
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  /** Returns the schema with global id {@code id}. */
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        key -> {
          JsonNode response = call("GET", "schemas/ids/" + id, null);
          String schemaText = response.path("schema").asText(null);
          if (schemaText == null) {
            throw new SchemaRegistryException("registry answered without a schema for id " + id, 200, -1, null);
          }
          String type = response.path("schemaType").asText("AVRO");
          if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException("schema id " + id + " is " + type + ", not AVRO", 200, -1, null);
          }
          return new Schema.Parser().parse(schemaText);
        });
  }

  /**
   * Tests {@code schema} against the latest version under {@code subject} with the subject's configured
   * compatibility level. A subject that does not exist yet is compatible.
   */
  public Compatibility checkCompatibility(String subject, Schema schema) {
    try {
      JsonNode response = call(
          "POST",
          "compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
          schemaBody(schema));
      List<String> messages = new ArrayList<>();
      response.path("messages").forEach(m -> messages.add(m.asText()));
      return new Compatibility(response.path("is_compatible").asBoolean(false), List.copyOf(messages));
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401 || e.errorCode() == 40402) {
        return new Compatibility(true, List.of());
      }
      throw e;
    }
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schemaType", "AVRO").put("schema", schema.toString()).toString();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode call(String method, String path, String body) {
    IOException lastUnreachable = null;
    for (URI base : baseUrls) {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
          .timeout(timeout)
          .header("Accept", CONTENT_TYPE + ", application/json");
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (body == null) {
        request.GET();
      } else {
        request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        lastUnreachable = e; // try the next URL
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted calling the schema registry", -1, -1, e);
      }
      return parse(method, base.resolve(path), response);
    }
    throw new SchemaRegistryException(
        "schema registry unreachable at " + baseUrls + ": " + lastUnreachable, -1, -1, lastUnreachable);
  }

  private static JsonNode parse(String method, URI uri, HttpResponse<String> response) {
    JsonNode json;
    try {
      json = JSON.readTree(response.body() == null || response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          method + " " + uri + " answered " + response.statusCode() + " with a body that is not JSON",
          response.statusCode(), -1, e);
    }
    if (response.statusCode() / 100 != 2) {
      int code = json.path("error_code").asInt(response.statusCode());
      String message = json.path("message").asText("no message");
      throw new SchemaRegistryException(
          method + " " + uri + " failed: HTTP " + response.statusCode() + ", error " + code + ": " + message,
          response.statusCode(), code, null);
    }
    return json;
  }
}
