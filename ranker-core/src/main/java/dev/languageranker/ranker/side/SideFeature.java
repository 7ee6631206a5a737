package dev.languageranker.ranker.side;

/**
 * The dense side features a ranker may use next to the hidden states, each computed per candidate
 * from its group alone (see {@link SideFeatures}). A ranker configuration names the subset it uses,
 * in this enum's order.
 */
public enum SideFeature {
  /** Share of the group's candidates with this candidate's answer key (self-consistency); a null key is its own singleton. */
  VOTE_SHARE("vote_share"),
  /** Mean token log-prob, standardized within the group (confidence). */
  LOGPROB_Z("logprob_z"),
  /** log(1 + response tokens), standardized within the group; 0 when lengths are unknown. */
  LENGTH_Z("length_z");

  private final String key;

  SideFeature(String key) {
    this.key = key;
  }

  /** The name used in manifests and on command lines. */
  public String key() {
    return key;
  }

  /** The feature named {@code key} (as in {@link #key()}, or the enum name), case-insensitive. */
  public static SideFeature parse(String key) {
    for (SideFeature feature : values()) {
      if (feature.key.equalsIgnoreCase(key.trim()) || feature.name().equalsIgnoreCase(key.trim())) {
        return feature;
      }
    }
    throw new IllegalArgumentException("unknown side feature '" + key + "'; known: vote_share, logprob_z, length_z");
  }
}
