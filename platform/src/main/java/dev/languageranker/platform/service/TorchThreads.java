package dev.languageranker.platform.service;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;

/**
 * Sets PyTorch's thread pools from {@code torch.threads} through DJL's system properties, which DJL reads once when
 * its engine starts: so this must run before the first model is loaded. Explicit -D properties win.
 */
public final class TorchThreads {
  static final String INTRA_OP = "ai.djl.pytorch.num_threads";
  static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

  private TorchThreads() {}

  public static void apply(LrConfig config) {
    int threads = config.get(Settings.TORCH_THREADS);
    if (threads > 0) {
      System.getProperties().putIfAbsent(INTRA_OP, Integer.toString(threads));
      System.getProperties().putIfAbsent(INTER_OP, "1");
    }
  }
}
