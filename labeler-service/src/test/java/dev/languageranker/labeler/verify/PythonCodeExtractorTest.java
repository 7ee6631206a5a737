package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PythonCodeExtractorTest {

  private final PythonCodeExtractor extractor = new PythonCodeExtractor();

  @Test
  void takesTheCodeBetweenTheMarkers() {
    String response = "Here you go:\n#START OF CODE\ndef f():\n    return 1\n#END OF CODE\nThat is all.";

    assertEquals(Optional.of("def f():\n    return 1"), extractor.extract(response));
  }

  @Test
  void takesTheFirstFencedBlockWithoutMarkers() {
    String response = "```python\ndef f():\n    return 1\n```\nand a test:\n```python\nprint(f())\n```";

    assertEquals(Optional.of("def f():\n    return 1\n"), extractor.extract(response));
  }

  @Test
  void takesRawCodeAsIsWithWindowsLineEndsMadeUnix() {
    assertEquals(Optional.of("def f():\n\treturn 1"), extractor.extract("def f():\r\n\treturn 1"));
  }

  @Test
  void findsNothingInABlankResponse() {
    assertEquals(Optional.empty(), extractor.extract("  \n"));
  }
}
