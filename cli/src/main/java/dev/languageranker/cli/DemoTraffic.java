package dev.languageranker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.demo.DemoProblem;
import dev.languageranker.demo.DemoProblemSource;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.demo.FunctionCallProblemGenerator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steady demo traffic for {@code local}: math and function-call problems from the demo model's problem generators,
 * each sent with its reference, so every answer is labeled and the loop (labels, training, releases) runs.
 */
public final class DemoTraffic implements AutoCloseable {
  /** New tokens per demo candidate: the demo model's worked answers are well under it, its context is 256. */
  public static final int MAX_NEW_TOKENS = 128;
  private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);

  private final PipelineClient client;
  private final double rate;
  private final DemoProblemSource problems = new DemoProblemSource();
  private final Random random;
  private final Thread thread;
  private final java.util.function.LongSupplier backlog;
  private final long maxBacklog;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong heldBack = new AtomicLong();
  private volatile boolean running = true;

  /**
   * @param backlog prompts waiting for the generator; while it is above {@code maxBacklog} the demo holds back, so
   *     a user's own prompt never queues behind minutes of demo traffic on a slow machine
   */
  DemoTraffic(PipelineClient client, double rate, long seed, java.util.function.LongSupplier backlog, long maxBacklog) {
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be above 0 prompts/s");
    }
    this.client = client;
    this.rate = rate;
    this.random = new Random(seed);
    this.backlog = backlog;
    this.maxBacklog = maxBacklog;
    this.thread = new Thread(this::run, "demo-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  /** One demo prompt with its reference: math or function calling, alternately at random. */
  public static PromptInput prompt(DemoProblem problem, String requestId) {
    boolean math = problem.task() == DemoTask.MATH;
    ObjectNode node = PromptInput.JSON.createObjectNode().put("requestId", requestId)
        .put("task", math ? "math" : "function").put("text", problem.user()).put("maxNewTokens", MAX_NEW_TOKENS);
    node.putObject("metadata").put("source", "demo");
    try {
      if (math) {
        node.putObject("reference").put("answer", problem.reference());
      } else {
        node.set("functions", PromptInput.JSON.readTree(FunctionCallProblemGenerator.FUNCTIONS));
        node.putObject("reference").set("expectedCalls", PromptInput.JSON.readTree(problem.reference()));
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("demo problem reference is not JSON", e);
    }
    return PromptInput.of(node);
  }

  long sent() {
    return sent.get();
  }

  /** Prompts not sent because the generator was behind. */
  long heldBack() {
    return heldBack.get();
  }

  private void run() {
    long intervalNanos = (long) (1e9 / rate);
    long next = System.nanoTime();
    while (running) {
      try {
        if (backlog.getAsLong() > maxBacklog) {
          heldBack.incrementAndGet();
        } else {
          DemoTask task = random.nextBoolean() ? DemoTask.MATH : DemoTask.FUNCTION;
          DemoProblem problem = problems.nextTrain(task, random);
          client.send(prompt(problem, "demo-" + Long.toHexString(random.nextLong())));
          sent.incrementAndGet();
        }
        next += intervalNanos;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } else {
          next = System.nanoTime(); // fell behind (e.g. the broker was slow): no burst to make up
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("demo traffic could not send: {}", e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.flush();
  }
}
