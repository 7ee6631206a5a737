package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerdictTest {

  @Test
  void everyVerdictMapsOneToOneToTheAvroEnumByName() {
    for (Verdict verdict : Verdict.values()) {
      assertEquals(verdict.name(), dev.languageranker.events.Verdict.valueOf(verdict.name()).name());
    }
  }

  @Test
  void printsLowercaseForTheCli() {
    assertEquals("unparseable", Verdict.UNPARSEABLE.wireName());
  }
}
