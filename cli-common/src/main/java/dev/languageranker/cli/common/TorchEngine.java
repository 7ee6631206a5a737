package dev.languageranker.cli.common;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.languageranker.platform.service.TorchThreads;

/** Starts DJL's PyTorch engine with the thread count a command asked for, and reports what it then uses. */
public final class TorchEngine {

  private TorchEngine() {}

  /** Must run before the first DJL call; 0 leaves PyTorch's default (one thread per core). */
  public static void start(int threads) {
    TorchThreads.set(threads, true);
    System.setProperty("ai.djl.offline", "true");
    Engine.getInstance();
  }

  public static int intraOpThreads() {
    return JniUtils.getNumThreads();
  }
}
