package dev.languageranker.dashboard;

/**
 * The status of a consumer group on one topic, after Burrow's evaluation rules, least to most severe. OK: lag is
 * zero somewhere in the window or falling; WARN: the group consumes but its lag never decreased over the window;
 * STALL: members are there but the committed offsets did not move over the window while lag stayed above zero;
 * STOP: no member and no commit for longer than the window, with lag left.
 */
public enum LagStatus {
  OK, WARN, STALL, STOP;

  /** The more severe of the two. */
  public LagStatus worst(LagStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
