package dev.languageranker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.generator.runtime.ChatTemplate;
import dev.languageranker.generator.runtime.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo tokenizer.json is read by Hugging Face's tokenizer and round-trips the chat format exactly. */
class DemoTokenizerTest {

  @TempDir Path directory;

  @Test
  void chatTextsRoundTripAndDigitsStaySingleTokens() throws IOException {
    DemoProblemSource source = new DemoProblemSource();
    Random random = new Random(1);
    List<String> texts = new ArrayList<>();
    List<DemoProblem> problems = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      DemoProblem problem = source.nextTrain(i % 2 == 0 ? DemoTask.MATH : DemoTask.FUNCTION, random);
      problems.add(problem);
      texts.add(problem.system());
      texts.add(problem.user());
      texts.add(problem.targetResponse());
    }
    Path file = directory.resolve("tokenizer.json");
    new DemoTokenizerBuilder(200).write(texts, file);
    ChatTemplate template = new ChatTemplate(DemoChatFormat.TEMPLATE, DemoChatFormat.BOS, DemoChatFormat.END);
    try (TextTokenizer tokenizer = TextTokenizer.load(file)) {
      for (DemoProblem problem : problems) {
        String full = template.render(problem.messages(), true) + problem.targetResponse() + DemoChatFormat.END;
        long[] ids = tokenizer.encode(full);
        assertEquals(full, tokenizer.decode(ids));
        assertEquals(DemoChatFormat.idOf(DemoChatFormat.BOS), ids[0]);
        assertEquals(DemoChatFormat.idOf(DemoChatFormat.END), ids[ids.length - 1]);
        // merges make it much shorter than characters
        assertTrue(ids.length < full.length() / 2, ids.length + " tokens for " + full.length() + " chars");
      }
      assertEquals(4, tokenizer.encode("1234").length);
    }
  }
}
