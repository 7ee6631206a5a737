package dev.languageranker.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every setting is documented: docs/configuration.md is the catalogue's rendering, kept in step. */
class ConfigurationDocsTest {
  @Test
  void theConfigurationReferenceMatchesTheSettingsCatalogue() throws Exception {
    Path docs = Path.of("..", "docs", "configuration.md");

    assertEquals(SettingsReference.markdown(), Files.readString(docs),
        "docs/configuration.md is stale: regenerate it with 'bin/language-ranker config --markdown > docs/configuration.md'");
  }
}
