package dev.languageranker.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's deployment files as tests read them: paths from the repository root, YAML documents as trees. */
final class RepositoryFiles {
  /** Tests run in the module directory (cli/). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  private RepositoryFiles() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  /**
   * Every non-empty document of a (multi-document) YAML file. SnakeYAML reads it, since Jackson's YAML parser does
   * not apply merge keys ({@code <<: *anchor}), which the compose file uses.
   */
  static List<JsonNode> documents(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<JsonNode> documents = new ArrayList<>();
      for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
        if (document != null) {
          documents.add(JSON.valueToTree(document));
        }
      }
      return documents;
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("cannot parse " + ROOT.relativize(file) + ": " + e.getMessage(), e);
    }
  }

  /** Every file under {@code dir} whose name ends with one of {@code suffixes}, sorted. */
  static List<Path> filesUnder(String dir, String... suffixes) {
    try (Stream<Path> files = Files.walk(path(dir))) {
      return files.filter(Files::isRegularFile)
          .filter(f -> Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
