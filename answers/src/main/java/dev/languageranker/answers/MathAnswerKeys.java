package dev.languageranker.answers;

import dev.languageranker.answers.MathAnswer.Bracketed;
import dev.languageranker.answers.MathAnswer.Collection;
import dev.languageranker.answers.MathAnswer.Labelled;
import dev.languageranker.answers.MathAnswer.Matrix;
import dev.languageranker.answers.MathAnswer.Membership;
import dev.languageranker.answers.MathAnswer.Relation;
import dev.languageranker.answers.MathAnswer.Relations;
import dev.languageranker.answers.MathAnswer.Scalar;
import dev.languageranker.answers.MathAnswer.Text;
import dev.languageranker.answers.MathAnswer.Union;
import dev.languageranker.answers.MathExpr.Binary;
import dev.languageranker.answers.MathExpr.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The canonical key of a parsed answer, which majority vote groups by: answers the verifier calls equal get one key
 * wherever a canonical form is cheap. Exact numbers print as {@code p/q}, irrational ones as 12 significant digits
 * ({@code ~3.46410161514} for both {@code 2\sqrt3} and {@code \sqrt{12}}), expressions with variables as their values at
 * fixed points, unordered collections sorted. Labels and percent signs are dropped, as the verifier drops them.
 */
final class MathAnswerKeys {
  private static final int KEY_POINTS = 3;

  private MathAnswerKeys() {}

  static String key(MathAnswer answer, Deadline deadline) {
    deadline.check();
    if (answer instanceof Scalar s) {
      return expression(s.expr(), deadline);
    }
    if (answer instanceof Labelled l) {
      return key(l.value(), deadline);
    }
    if (answer instanceof Membership m) {
      return key(m.set(), deadline);
    }
    if (answer instanceof Text t) {
      return "text:" + MathEquivalence.words(t.text());
    }
    if (answer instanceof Bracketed b) {
      return b.open() + join(b.items(), deadline, false) + b.close();
    }
    if (answer instanceof Union u) {
      return "union{" + join(u.parts(), deadline, true) + "}";
    }
    if (answer instanceof Collection c) {
      return c.items().size() == 1 ? key(c.items().get(0), deadline) : "{" + join(c.items(), deadline, true) + "}";
    }
    if (answer instanceof Matrix m) {
      return matrix(m, deadline);
    }
    return relations((Relations) answer, deadline);
  }

  private static String join(List<MathAnswer> items, Deadline deadline, boolean sorted) {
    List<String> keys = new ArrayList<>();
    for (MathAnswer item : items) {
      keys.add(key(item, deadline));
    }
    if (sorted) {
      keys.sort(null);
    }
    return String.join(",", keys);
  }

  private static String matrix(Matrix m, Deadline deadline) {
    return m.rows().stream()
        .map(row -> row.stream().map(e -> expression(e, deadline)).collect(Collectors.joining(",", "[", "]")))
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String expression(MathExpr e, Deadline deadline) {
    TreeSet<String> variables = new TreeSet<>();
    e.collectVariables(variables);
    if (variables.isEmpty()) {
      try {
        return e.evaluate(Map.of(), deadline).keyText();
      } catch (ArithmeticException undefined) {
        return "undefined";
      }
    }
    return String.join(",", variables) + "->" + fingerprint(e, variables, deadline, false);
  }

  /** Values at fixed points, rounded; for relations divided by the first value, so a constant factor drops out. */
  private static String fingerprint(MathExpr e, TreeSet<String> variables, Deadline deadline, boolean scaled) {
    List<String> values = new ArrayList<>();
    MathValue first = null;
    for (int attempt = 0; attempt < KEY_POINTS; attempt++) {
      try {
        MathValue v = e.evaluate(MathEquivalence.pointFor(variables, attempt), deadline);
        if (scaled) {
          if (first == null && v.signum() != 0) {
            first = v.signum() < 0 ? v.negate() : v;
          }
          v = first == null ? v : v.dividedBy(first);
        }
        values.add(MathValue.approximate(v.decimal()).keyText());
      } catch (ArithmeticException undefined) {
        values.add("undefined");
      }
    }
    return String.join(";", values);
  }

  private static String relations(Relations r, Deadline deadline) {
    Membership interval = MathEquivalence.asMembership(r);
    if (interval != null) {
      return interval.variable() + " in " + key(interval.set(), deadline);
    }
    Relations n = MathEquivalence.normalized(r);
    if (n.sides().size() == 2) {
      MathExpr difference = new Binary(Operator.SUBTRACT, n.sides().get(0), n.sides().get(1));
      TreeSet<String> variables = new TreeSet<>();
      difference.collectVariables(variables);
      Relation relation = n.relations().get(0);
      String fingerprint = fingerprint(difference, variables, deadline, true);
      if (relation == Relation.EQ || relation == Relation.NE) {
        // Up to any nonzero factor: the sign of the first value is arbitrary, so key the fingerprint and its negation alike.
        fingerprint = fingerprint.replace("~-", "~");
      }
      return relation + "(" + String.join(",", variables) + "):" + fingerprint;
    }
    List<String> sides = new ArrayList<>();
    for (MathExpr side : n.sides()) {
      sides.add(expression(side, deadline));
    }
    return n.relations() + ":" + String.join("|", sides);
  }
}
