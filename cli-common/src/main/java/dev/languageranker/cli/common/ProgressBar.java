package dev.languageranker.cli.common;

import dev.languageranker.ranker.train.TrainingProgressListener;
import java.io.PrintWriter;

/** A one-line training progress bar on stderr, redrawn at most ten times a second. */
public final class ProgressBar implements TrainingProgressListener {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private long lastDraw;

  public ProgressBar(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onStep(int step, int totalSteps, float loss, float learningRate) {
    long now = System.nanoTime();
    if (step < totalSteps && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) ((long) WIDTH * step / Math.max(1, totalSteps));
    out.printf("\r[%s%s] %3d%% step %d/%d loss %.4f lr %.2e", "#".repeat(filled), ".".repeat(WIDTH - filled),
        100L * step / Math.max(1, totalSteps), step, totalSteps, loss, learningRate);
    if (step >= totalSteps) {
      out.println();
    }
    out.flush();
  }
}
