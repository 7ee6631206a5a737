package dev.languageranker.ranker.features;

/**
 * How a response's hidden states become one feature vector. A ranker reads one pooling and refuses the
 * other, as it refuses another layer.
 */
public enum FeaturePooling {
  /** The hidden state at the last token of prompt + response (the paper; with EOS, at the EOS token). */
  LAST,
  /** The mean of the hidden states over the response tokens, EOS excluded. */
  MEAN;

  /** Lower-case name, as in manifests, settings and the {@code Features.pooling} field. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code last} or {@code mean} (case-insensitive). */
  public static FeaturePooling parse(String value) {
    for (FeaturePooling pooling : values()) {
      if (pooling.name().equalsIgnoreCase(value.trim())) {
        return pooling;
      }
    }
    throw new IllegalArgumentException("unknown feature pooling '" + value + "'; use last or mean");
  }

  /** Shard header code (0 last, 1 mean). */
  public int code() {
    return ordinal();
  }

  public static FeaturePooling fromCode(int code) {
    if (code < 0 || code >= values().length) {
      throw new IllegalArgumentException("unknown feature pooling code " + code);
    }
    return values()[code];
  }
}
