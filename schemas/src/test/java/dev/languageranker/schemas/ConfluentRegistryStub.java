package dev.languageranker.schemas;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.avro.Schema;

/**
 * A WireMock server answering the Confluent Schema Registry REST calls the way the documented API does, for
 * the schemas a test declares.
 */
public final class ConfluentRegistryStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final WireMockServer server;

  public ConfluentRegistryStub() {
    server = new WireMockServer(wireMockConfig().dynamicPort());
    server.start();
  }

  public WireMockServer server() {
    return server;
  }

  public String url() {
    return "http://localhost:" + server.port();
  }

  /** Registering {@code schema} under {@code subject} answers {@code id}; fetching id {@code id} answers it. */
  public ConfluentRegistryStub withSchema(String subject, Schema schema, int id) {
    String body = JSON.createObjectNode().put("schemaType", "AVRO").put("schema", schema.toString()).toString();
    server.stubFor(post(urlEqualTo("/subjects/" + subject + "/versions"))
        .withRequestBody(equalToJson(body))
        .willReturn(json(200, "{\"id\":" + id + "}")));
    server.stubFor(post(urlEqualTo("/subjects/" + subject))
        .withRequestBody(equalToJson(body))
        .willReturn(json(200, JSON.createObjectNode().put("subject", subject).put("id", id).put("version", 1)
            .put("schema", schema.toString()).toString())));
    return withSchemaId(schema, id);
  }

  /** Fetching id {@code id} answers {@code schema}. */
  public ConfluentRegistryStub withSchemaId(Schema schema, int id) {
    server.stubFor(get(urlEqualTo("/schemas/ids/" + id))
        .willReturn(json(200, JSON.createObjectNode().put("schema", schema.toString()).toString())));
    return this;
  }

  public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", CONTENT_TYPE).withBody(body);
  }

  @Override
  public void close() {
    server.stop();
  }
}
