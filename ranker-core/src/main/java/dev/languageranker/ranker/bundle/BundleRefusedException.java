package dev.languageranker.ranker.bundle;

/** A bundle that must not be served, with the reason a service can log and report. */
public final class BundleRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a bundle was refused. */
  public enum Reason {
    NOT_A_BUNDLE, CORRUPT_ARCHIVE, MISSING_MANIFEST, INVALID_MANIFEST, UNSUPPORTED_FORMAT_VERSION, MISSING_WEIGHTS, CHECKSUM_MISMATCH, FEATURE_DIM_MISMATCH, FEATURE_LAYER_MISMATCH, FEATURE_POOLING_MISMATCH, ARCHITECTURE_MISMATCH, INVALID_WEIGHTS
  }

  private final Reason reason;

  public BundleRefusedException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public BundleRefusedException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
