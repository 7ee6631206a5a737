package dev.languageranker.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Sets PyTorch's thread pools before the engine starts and reports what it then uses. */
final class TorchThreads {

  private TorchThreads() {}

  /** Must run before the first DJL call; 0 leaves PyTorch's default (one thread per core). */
  static void configure(int threads) {
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    System.setProperty("ai.djl.offline", "true");
    Engine.getInstance();
  }

  static int intraOpThreads() {
    return JniUtils.getNumThreads();
  }
}
