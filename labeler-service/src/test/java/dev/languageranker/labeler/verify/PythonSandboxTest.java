package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox's plumbing: output capture, exit status, concurrency bound. */
class PythonSandboxTest {

  private static PythonSandbox sandbox;

  @BeforeAll
  static void probe() {
    sandbox = PythonSandbox.probed(SandboxSettings.defaults().withConcurrency(2));
  }

  @Test
  void neverLosesTheOutputOfAProgramThatExitsAtOnce() throws Exception {
    // Regression: destroying an exited process closed its stdout before the reader had drained it (about 1 run in 100).
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<SandboxRun>> runs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        runs.add(pool
            .submit(() -> sandbox.run("import sys\nprint('hello', sys.stdin.readline().strip())\n", "{}", "there")));
      }
      for (Future<SandboxRun> run : runs) {
        SandboxRun done = run.get();
        assertEquals(0, done.exitCode(), done.output());
        assertEquals("hello there", done.output().strip());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reportsTheProgramsExitStatus() throws Exception {
    SandboxRun run = sandbox.run("import sys\nsys.exit(3)\n", "{}", "");

    assertEquals(3, run.exitCode());
    assertFalse(run.timedOut());
  }

  @Test
  void runsNoMoreProgramsAtOnceThanItsConcurrency() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<SandboxRun>> runs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        runs.add(pool.submit(() -> sandbox.run("import time\ntime.sleep(0.4)\nprint('done')\n", "{}", "")));
      }
      long start = System.nanoTime();
      for (Future<SandboxRun> run : runs) {
        assertTrue(run.get().output().contains("done"));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // Five 0.4 s programs two at a time need at least three rounds: over 1.2 s; five at once would take about 0.5 s.
      assertTrue(seconds >= 1.2, "five runs took " + seconds + " s: more than two ran at once");
    } finally {
      pool.shutdownNow();
    }
  }
}
