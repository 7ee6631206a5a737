package dev.languageranker.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Every event schema must read data written with each of its released versions (BACKWARD compatibility, Avro's
 * own check). Released versions live in {@code src/test/resources/released/vN/<Name>.avsc}, self-contained, as a
 * registry stores them. When releasing, copy the current schemas there as the next version.
 */
class SchemaCompatibilityTest {

  @Test
  void everyEventSchemaReadsEveryReleasedVersionOfItself() throws Exception {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (SpecificRecord event : SampleEvents.all()) {
      Schema current = event.getSchema();
      for (Path released : releasedVersionsOf(current.getName())) {
        Schema writer = parse(released);
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current,
            writer);
        checked++;
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
          failures.add(current.getName() + " cannot read " + released.getParent().getFileName() + ": "
              + result.getResult().getIncompatibilities());
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertTrue(checked >= SampleEvents.all().size(), "checked " + checked + " released schemas");
  }

  @Test
  void everyEventSchemaHasAReleasedVersion() throws Exception {
    for (SpecificRecord event : SampleEvents.all()) {
      assertFalse(releasedVersionsOf(event.getSchema().getName()).isEmpty(),
          "no released version of " + event.getSchema().getName() + " under src/test/resources/released/");
    }
  }

  @Test
  void theCheckRejectsABreakingChange() {
    Schema current = SampleEvents.prompt().getSchema();
    // A new required field without a default cannot be filled from old data.
    Schema broken = new Schema.Parser().parse(current.toString().replaceFirst(
        "\\{\"name\":\"requestId\"", "{\"name\":\"tenant\",\"type\":\"string\"},{\"name\":\"requestId\""));

    assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(broken, current).getType());
  }

  private static List<Path> releasedVersionsOf(String name) throws IOException, URISyntaxException {
    URL root = SchemaCompatibilityTest.class.getResource("/released");
    if (root == null) {
      fail("src/test/resources/released is missing");
    }
    try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
      return files.filter(p -> p.getFileName().toString().equals(name + ".avsc")).sorted().toList();
    }
  }

  private static Schema parse(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new Schema.Parser().parse(in);
    }
  }
}
