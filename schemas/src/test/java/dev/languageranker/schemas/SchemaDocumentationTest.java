package dev.languageranker.schemas;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The schemas are the contract users read: every record, enum and field says what it is. */
class SchemaDocumentationTest {

  @Test
  void everyRecordEnumAndFieldHasADoc() {
    List<String> missing = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (SpecificRecord event : SampleEvents.all()) {
      collect(event.getSchema(), missing, seen);
    }
    assertTrue(missing.isEmpty(), "undocumented: " + missing);
    assertTrue(seen.size() >= 20, "walked " + seen.size() + " named types");
  }

  private static void collect(Schema schema, List<String> missing, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (blank(schema.getDoc())) {
          missing.add(schema.getName());
        }
        for (Schema.Field field : schema.getFields()) {
          if (blank(field.doc())) {
            missing.add(schema.getName() + "." + field.name());
          }
          collect(field.schema(), missing, seen);
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName()) && blank(schema.getDoc())) {
          missing.add(schema.getName());
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collect(t, missing, seen));
      case ARRAY -> collect(schema.getElementType(), missing, seen);
      case MAP -> collect(schema.getValueType(), missing, seen);
      default -> {
      }
    }
  }

  private static boolean blank(String doc) {
    return doc == null || doc.isBlank();
  }
}
