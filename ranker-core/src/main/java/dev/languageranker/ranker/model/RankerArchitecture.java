package dev.languageranker.ranker.model;

/** Ranker model family: listwise sees the whole group at once, pointwise scores each candidate alone. */
public enum RankerArchitecture {
  LISTWISE, POINTWISE
}
