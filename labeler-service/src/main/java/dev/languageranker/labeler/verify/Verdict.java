package dev.languageranker.labeler.verify;

import java.util.Locale;

/** A verifier's judgement; the names match the Avro enum {@code dev.languageranker.events.Verdict} one to one. */
public enum Verdict {
  CORRECT, INCORRECT, UNPARSEABLE, PASS, FAIL, TIMEOUT, ERROR;

  /** True for the verdicts that make a candidate a positive example. */
  public boolean isPositive() {
    return this == CORRECT || this == PASS;
  }

  /** The lowercase name the verify CLI prints. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
