package dev.languageranker.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A command-line tool from the machine (promtool, docker-compose, kubectl), found on the PATH and run with a timeout. */
record ExternalTool(Path executable) {
  /** What a finished run printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  static Optional<ExternalTool> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable).findFirst().map(ExternalTool::new);
  }

  Result run(Path workingDirectory, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("lr-tool-", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
