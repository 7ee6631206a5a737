package dev.languageranker.ranker.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Train/holdout assignment by a stable hash of the request id (SHA-256), so a prompt stays on the
 * same side across retrains, processes and JVM versions.
 */
public record HoldoutSplit(double holdoutFraction) {

  public HoldoutSplit {
    if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("holdout fraction must be in [0, 1), got " + holdoutFraction);
    }
  }

  public boolean isHoldout(String requestId) {
    return bucket(requestId) < holdoutFraction;
  }

  /** Uniform position in [0, 1) derived from the id alone. */
  static double bucket(String requestId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
      long top = ByteBuffer.wrap(digest).getLong();
      return (top >>> 11) * 0x1.0p-53;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
