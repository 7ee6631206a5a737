package dev.languageranker.labeler.verify;

import java.util.Locale;

/** The verifiable tasks, by the names the verify CLI uses. */
public enum VerifyTask {
  MATH, CODE, FUNCTION;

  /** The task named {@code math}, {@code code} or {@code function} (any case). */
  public static VerifyTask named(String name) {
    for (VerifyTask task : values()) {
      if (task.name().equalsIgnoreCase(name)) {
        return task;
      }
    }
    throw new IllegalArgumentException("unknown task '" + name + "': expected math, code or function");
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
