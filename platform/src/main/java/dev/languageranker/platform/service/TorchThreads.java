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
    set(config.get(Settings.TORCH_THREADS), false);
  }

  /**
   * Sets {@code threads} intra-op threads (and one inter-op thread); 0 leaves PyTorch's default.
   *
   * @param override true for an explicit choice (a command-line option) that replaces a -D property
   */
  public static void set(int threads, boolean override) {
    if (threads <= 0) {
      return;
    }
    if (override) {
      System.setProperty(INTRA_OP, Integer.toString(threads));
      System.setProperty(INTER_OP, "1");
    } else {
      System.getProperties().putIfAbsent(INTRA_OP, Integer.toString(threads));
      System.getProperties().putIfAbsent(INTER_OP, "1");
    }
  }
}
