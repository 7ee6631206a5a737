package dev.languageranker.ranker.train;

/** The paper's two optimisers. */
public enum OptimizerKind {
  /** SGD with momentum (paper: lr 0.05-1.0). */
  SGD,
  /** AdamW with decoupled weight decay (paper: lr 1e-5..1e-4). */
  ADAMW
}
