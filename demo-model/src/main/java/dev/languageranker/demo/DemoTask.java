package dev.languageranker.demo;

/** The verifiable tasks the demo model is trained on. */
public enum DemoTask {
  MATH("math"), FUNCTION("function");

  private final String label;

  DemoTask(String label) {
    this.label = label;
  }

  /** The name printed in evaluations. */
  public String label() {
    return label;
  }
}
