package dev.languageranker.ranker.data;

/** BINARY labels are 0 or 1 (verified correct or not); REAL labels are scores such as a judge's 0-5. */
public enum LabelType {
  BINARY, REAL
}
