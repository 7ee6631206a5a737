package dev.languageranker.schemas;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.PromptRequest;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {
  private static final Schema SCHEMA = PromptRequest.getClassSchema();

  private ConfluentRegistryStub registry;
  private SchemaRegistryClient client;

  @BeforeEach
  void start() {
    registry = new ConfluentRegistryStub();
    client = new SchemaRegistryClient(registry.url(), null, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void registersASchemaOnceAndCachesItsId() {
    registry.withSchema("lr.prompts-value", SCHEMA, 21);

    assertEquals(21, client.register("lr.prompts-value", SCHEMA));
    assertEquals(21, client.register("lr.prompts-value", SCHEMA));

    registry.server().verify(1, postRequestedFor(urlEqualTo("/subjects/lr.prompts-value/versions"))
        .withHeader("Content-Type", equalTo(ConfluentRegistryStub.CONTENT_TYPE)));
  }

  @Test
  void fetchesASchemaByIdOnceAndCachesIt() {
    registry.withSchemaId(SCHEMA, 5);

    assertEquals(SCHEMA, client.schemaById(5));
    assertEquals(SCHEMA, client.schemaById(5));

    registry.server().verify(1, getRequestedFor(urlEqualTo("/schemas/ids/5")));
  }

  @Test
  void aRegisteredSchemaNeedsNoFetchById() {
    registry.withSchema("lr.prompts-value", SCHEMA, 3);
    client.register("lr.prompts-value", SCHEMA);

    assertEquals(SCHEMA, client.schemaById(3));

    registry.server().verify(0, getRequestedFor(urlEqualTo("/schemas/ids/3")));
  }

  @Test
  void looksUpTheIdOfAnAlreadyRegisteredSchema() {
    registry.withSchema("lr.prompts-value", SCHEMA, 11);

    assertEquals(11, client.lookUp("lr.prompts-value", SCHEMA));
  }

  @Test
  void reportsCompatibilityWithTheRegistrysMessages() {
    registry.server().stubFor(post(urlPathEqualTo("/compatibility/subjects/lr.prompts-value/versions/latest"))
        .willReturn(ConfluentRegistryStub.json(200,
            "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE: newField\"]}")));

    SchemaRegistryClient.Compatibility result = client.checkCompatibility("lr.prompts-value", SCHEMA);

    assertFalse(result.compatible());
    assertEquals(List.of("READER_FIELD_MISSING_DEFAULT_VALUE: newField"), result.messages());
  }

  @Test
  void aSubjectThatDoesNotExistYetIsCompatible() {
    registry.server().stubFor(post(urlPathEqualTo("/compatibility/subjects/lr.new-value/versions/latest"))
        .willReturn(ConfluentRegistryStub.json(404,
            "{\"error_code\":40401,\"message\":\"Subject 'lr.new-value' not found.\"}")));

    assertTrue(client.checkCompatibility("lr.new-value", SCHEMA).compatible());
  }

  @Test
  void anIncompatibleRegistrationFailsWithTheRegistrysCodeAndMessage() {
    registry.server().stubFor(post(urlEqualTo("/subjects/lr.prompts-value/versions"))
        .willReturn(ConfluentRegistryStub.json(409,
            "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}")));

    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> client.register("lr.prompts-value", SCHEMA));

    assertEquals(409, e.status());
    assertEquals(409, e.errorCode());
    assertTrue(e.getMessage().contains("incompatible with an earlier schema"), e.getMessage());
  }

  @Test
  void anUnknownIdFailsWithErrorCode40403() {
    registry.server().stubFor(get(urlEqualTo("/schemas/ids/99"))
        .willReturn(ConfluentRegistryStub.json(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}")));

    SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(99));

    assertEquals(40403, e.errorCode());
  }

  @Test
  void fallsOverToTheNextUrlWhenOneIsUnreachable() {
    registry.withSchemaId(SCHEMA, 5);
    SchemaRegistryClient twoUrls = new SchemaRegistryClient("http://127.0.0.1:1," + registry.url(), null,
        Duration.ofSeconds(5));

    assertEquals(SCHEMA, twoUrls.schemaById(5));
  }

  @Test
  void anUnreachableRegistryIsAClearError() {
    SchemaRegistryClient unreachable = new SchemaRegistryClient("http://127.0.0.1:1", null, Duration.ofSeconds(2));

    SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> unreachable.schemaById(1));

    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
  }

  @Test
  void sendsBasicAuthenticationWhenConfigured() {
    registry.withSchemaId(SCHEMA, 5);
    SchemaRegistryClient authenticated = new SchemaRegistryClient(registry.url(), "key:secret", Duration.ofSeconds(5));

    authenticated.schemaById(5);

    registry.server().verify(getRequestedFor(urlEqualTo("/schemas/ids/5"))
        .withHeader("Authorization", equalTo("Basic a2V5OnNlY3JldA==")));
  }

  @Test
  void refusesAUrlThatIsNotHttp() {
    assertThrows(IllegalArgumentException.class,
        () -> new SchemaRegistryClient("ftp://registry", null, Duration.ofSeconds(1)));
  }
}
