package dev.languageranker.answers;

import java.util.List;

/** The structure of a final math answer: a value, a relation, a tuple or interval, a set, a matrix or text. */
public sealed interface MathAnswer {

  /** A single expression; {@code percent} when written with a percent sign (the value is then the number before it). */
  record Scalar(MathExpr expr, boolean percent) implements MathAnswer {}

  /** Relation operators, as written. */
  enum Relation { EQ, NE, LT, LE, GT, GE }

  /** An equation, inequality or chain of them: {@code sides.size() == relations.size() + 1}. */
  record Relations(List<MathExpr> sides, List<Relation> relations) implements MathAnswer {}

  /** A value with a label on the left: {@code y = 2/5}, {@code g(t) = 5}, {@code (a,b) = (1,4)}. */
  record Labelled(String label, MathAnswer value) implements MathAnswer {}

  /** An ordered, bracketed list: a tuple, a point, a vector or an interval ({@code (0, 3]}). */
  record Bracketed(char open, List<MathAnswer> items, char close) implements MathAnswer {}

  /** A union of intervals ({@code \cup}). */
  record Union(List<MathAnswer> parts) implements MathAnswer {}

  /** An unordered collection: {@code \{4,5,6\}} ({@code braces}), or a bare list {@code 4, 5, 6} / {@code 4 and 5}. */
  record Collection(List<MathAnswer> items, boolean braces) implements MathAnswer {}

  /** A matrix, or a vector written as one, row by row. */
  record Matrix(List<List<MathExpr>> rows) implements MathAnswer {}

  /** {@code t \in (0, 3]}. */
  record Membership(String variable, MathAnswer set) implements MathAnswer {}

  /** A word answer ({@code \text{circle}}, {@code Monday}), compared case-insensitively. */
  record Text(String text) implements MathAnswer {}
}
