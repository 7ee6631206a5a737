package dev.languageranker.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.Reference;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.schemas.SampleEvents;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private final EventSerdes serdes = new EventSerdes(LrConfig.defaults());
  private final Record<String, Reference> record = new Record<>("q1", SampleEvents.reference(), 0L);

  @Test
  void aProcessedRecordsDeadLetterNamesTheExceptionThatRejectedIt() {
    DeadLetter letter = DeadLetters.ofProcessed("labeler", serdes, Optional.empty(), record, "unusable",
        new IllegalArgumentException("bad calls"));

    assertEquals(IllegalArgumentException.class.getName(), letter.getErrorClass());
    assertEquals("unusable [unknown]", letter.getReason());
  }

  @Test
  void aRecordRejectedByACheckHasNoErrorClass() {
    assertNull(DeadLetters.ofProcessed("labeler", serdes, Optional.empty(), record, "unusable", null).getErrorClass());
  }
}
