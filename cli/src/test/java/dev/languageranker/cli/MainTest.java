package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void versionPrintsTheVersionAndSucceeds() {
    CliRun run = CliRun.of("--version");

    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("language-ranker "), run.out());
  }

  /** Every command name the command line had before the modules were split by job; each must still answer. */
  private static final List<String> COMMANDS = List.of("answers", "ask", "base-eval", "eval", "bench", "bench train",
      "bench rank", "bench pipeline", "bench generate", "bench generator", "bench loop", "bench verify-math",
      "bench jmh", "broker", "config", "dashboard", "feedback", "generate", "generator", "inspect-model", "labeler",
      "lag", "local", "produce", "ranker", "rankers", "rankers list", "rankers rollback", "rankers publish", "strimzi",
      "topics", "trainer", "train-demo-model", "verify", "verify-datasets");

  @Test
  void everyCommandNameStillAnswersHelp() {
    for (String command : COMMANDS) {
      List<String> args = new ArrayList<>(List.of(command.split(" ")));
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), command + ": " + run.err());
      assertTrue(run.out().startsWith("Usage: language-ranker " + command), command + ": " + run.out());
    }
  }

  @Test
  void helpListsTheSubcommands() {
    CliRun run = CliRun.of("--help");

    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("topics"), run.out());
    assertTrue(run.out().contains("config"), run.out());
  }

  @Test
  void anUnknownOptionSaysWhatIsWrongAndFails() {
    CliRun run = CliRun.of("topics", "--embeded");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Unknown option: '--embeded'"), run.err());
  }

  @Test
  void noSubcommandIsAnError() {
    CliRun run = CliRun.of();

    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("Missing subcommand"), run.err());
  }

  @Test
  void anUnknownSettingIsAnErrorNamingIt() {
    CliRun run = CliRun.of("config", "--set", "bootstrap.server=x:1");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("unknown setting 'bootstrap.server'"), run.err());
  }

  @Test
  void configShowsEffectiveValuesAndSources() {
    CliRun run = CliRun.of("config", "--set", "topics.partitions=12");

    assertEquals(0, run.exitCode());
    assertTrue(
        run.out().lines()
            .anyMatch(l -> l.startsWith("topics.partitions") && l.contains("12") && l.contains("(override)")),
        run.out());
  }
}
