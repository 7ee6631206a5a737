package dev.languageranker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's deployment files as tests read them: paths from the repository root, YAML documents as trees. */
final class RepositoryFiles {
  /** Tests run in the module directory (cli/). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final ObjectMapper YAML = new YAMLMapper();

  private RepositoryFiles() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  /** Every non-empty document of a (multi-document) YAML file. */
  static List<JsonNode> documents(Path file) {
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      return YAML.readValues(parser, JsonNode.class).readAll().stream()
          .filter(node -> node != null && !node.isNull() && !node.isMissingNode()).map(JsonNode.class::cast).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + ROOT.relativize(file) + ": " + e.getMessage(), e);
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
