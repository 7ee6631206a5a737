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
import dev.languageranker.answers.MathExpr.Constant;
import dev.languageranker.answers.MathExpr.Negation;
import dev.languageranker.answers.MathExpr.Num;
import dev.languageranker.answers.MathExpr.Operator;
import dev.languageranker.answers.MathExpr.Variable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Decides whether two parsed answers are mathematically equal and names the rule that decided it. Expressions are
 * compared by evaluating both at random rational points (the Schwartz-Zippel test): exactly, with rationals, while
 * only rational operations are involved, and to 40 digits otherwise, so an identity holds at every point and a
 * near miss fails at the first. Numbers written with a decimal point may be rounded and get the relative tolerance.
 */
public final class MathEquivalence {

  /** Relative tolerance of irrational values computed to 40 digits: far below any rounding a writer does. */
  static final double DIGITS_TOLERANCE = 1e-25;
  private static final int POINTS_NEEDED = 4;
  private static final int MAX_ATTEMPTS = 24;

  /** A decimal is taken as a rounding only when half a unit of its last digit is below this share of its value. */
  static final BigDecimal ROUNDED_PRECISION = new BigDecimal("0.01");

  private final double relativeTolerance;
  private final boolean roundedDecimals;

  /** Compares with {@code relativeTolerance} for numbers written with a decimal point (1e-6 by default). */
  public MathEquivalence(double relativeTolerance) {
    this(relativeTolerance, true);
  }

  /**
   * As {@link #MathEquivalence(double)}; with {@code roundedDecimals}, a decimal also equals an exact value that
   * rounds to it at the digits it shows ({@code 0.67} = {@code 2/3}) when it shows its value to better than 1%.
   */
  public MathEquivalence(double relativeTolerance, boolean roundedDecimals) {
    if (!(relativeTolerance >= 0 && relativeTolerance < 1)) {
      throw new IllegalArgumentException("relative tolerance must be in [0, 1), was " + relativeTolerance);
    }
    this.relativeTolerance = relativeTolerance;
    this.roundedDecimals = roundedDecimals;
  }

  public double relativeTolerance() {
    return relativeTolerance;
  }

  /** The rule under which {@code candidate} equals {@code reference}, or null when they differ. */
  public String match(MathAnswer candidate, MathAnswer reference, Deadline deadline) {
    return new Comparison(deadline).match(candidate, reference);
  }

  /** The value of variable {@code name} at the {@code attempt}-th test point: a rational, positive for even attempts. */
  static ExactRational point(String name, int attempt) {
    SplittableRandom random = new SplittableRandom(
        name.hashCode() * 0x9E3779B97F4A7C15L + attempt * 0xBF58476D1CE4E5B9L);
    long numerator = 1 + random.nextInt(97);
    long denominator = 2 + random.nextInt(29);
    return ExactRational.of(attempt % 2 == 0 ? numerator : -numerator).dividedBy(ExactRational.of(denominator));
  }

  private final class Comparison {
    private final Deadline deadline;
    /** Whether the pair at hand has the reference first: rounding is read in the candidate's decimals only. */
    private boolean flipped;

    Comparison(Deadline deadline) {
      this.deadline = deadline;
    }

    String match(MathAnswer a, MathAnswer b) {
      deadline.check();
      String rule = ordered(a, b);
      return rule != null ? rule : swapped(b, a);
    }

    /** Pairs of different kinds are handled with the candidate on either side. */
    private String swapped(MathAnswer b, MathAnswer a) {
      if (a.getClass() == b.getClass()) {
        return null;
      }
      flipped = !flipped;
      try {
        return ordered(b, a);
      } finally {
        flipped = !flipped;
      }
    }

    private String ordered(MathAnswer a, MathAnswer b) {
      if (a instanceof Text ta && b instanceof Text tb) {
        return words(ta.text()).equals(words(tb.text())) ? "text: same words" : null;
      }
      if (a instanceof Text ta && b instanceof Scalar sb && sb.expr() instanceof Variable v) {
        return words(ta.text()).equals(words(v.name())) ? "text: same letter as the variable " + v.name() : null;
      }
      if (a instanceof Labelled la) {
        if (b instanceof Labelled lb) {
          if (la.label().equals(lb.label())) {
            return prefixed("same label " + la.label(), match(la.value(), lb.value()));
          }
          Relations ea = asEquation(la);
          Relations eb = asEquation(lb);
          if (ea == null || eb == null) {
            return null;
          }
          if (isConstant(ea.sides().get(1)) && isConstant(eb.sides().get(1))) {
            // x = 3 for a question that named it y: the value is the answer, as the MATH graders drop the label.
            return prefixed("labels " + la.label() + ", " + lb.label() + " dropped", match(la.value(), lb.value()));
          }
          return relations(ea, eb);
        }
        if (b instanceof Relations rb) {
          Relations ea = asEquation(la);
          return ea != null ? relations(ea, rb) : null;
        }
        return prefixed("label " + la.label() + " dropped", match(la.value(), b));
      }
      if (a instanceof Membership ma) {
        if (b instanceof Membership mb) {
          return ma.variable().equals(mb.variable())
              ? prefixed("same variable " + ma.variable(), match(ma.set(), mb.set())) : null;
        }
        if (b instanceof Relations rb) {
          Membership mb = asMembership(rb);
          return mb != null ? prefixed("inequality read as " + mb.variable() + " in an interval", match(ma, mb)) : null;
        }
        return prefixed("variable " + ma.variable() + " dropped", match(ma.set(), b));
      }
      if (a instanceof Relations ra) {
        if (b instanceof Relations rb) {
          return relations(ra, rb);
        }
        if (b instanceof Scalar || b instanceof Labelled) {
          MathExpr value = chainValue(ra);
          return value == null ? null
              : prefixed("chain of equalities ending in its value", match(new Scalar(value, false), b));
        }
        if (b instanceof Bracketed || b instanceof Union) {
          Membership ma = asMembership(ra);
          return ma != null ? prefixed("inequality read as an interval", match(ma.set(), b)) : null;
        }
        return null;
      }
      if (a instanceof Collection ca) {
        Membership union = asUnion(ca);
        if (union != null && (b instanceof Union || b instanceof Bracketed || b instanceof Membership)) {
          return prefixed("inequalities joined by 'or' read as " + union.variable() + " in a union", match(union, b));
        }
        if (ca.items().size() == 1 && !(b instanceof Collection)) {
          return prefixed("one-element set", match(ca.items().get(0), b));
        }
        if (b instanceof Collection cb) {
          return unordered(ca.items(), cb.items(), "set");
        }
        if (b instanceof Bracketed bb && !ca.braces() && bb.open() == '(' && bb.close() == ')') {
          return prefixed("tuple written without brackets", inOrder(ca.items(), bb.items()));
        }
        return null;
      }
      if (a instanceof Bracketed ba) {
        if (b instanceof Bracketed bb) {
          if (ba.open() != bb.open() || ba.close() != bb.close()) {
            return null;
          }
          return prefixed(ba.open() + "..." + ba.close(), inOrder(ba.items(), bb.items()));
        }
        if (b instanceof Matrix mb) {
          List<MathExpr> vector = vector(mb);
          if (vector == null || vector.size() != ba.items().size()) {
            return null;
          }
          List<MathAnswer> items = vector.stream().<MathAnswer>map(e -> new Scalar(e, false)).toList();
          return prefixed("vector as a matrix", inOrder(ba.items(), items));
        }
        return null;
      }
      if (a instanceof Union ua && b instanceof Union ub) {
        return unordered(ua.parts(), ub.parts(), "union");
      }
      if (a instanceof Matrix ma && b instanceof Matrix mb) {
        return matrices(ma, mb);
      }
      if (a instanceof Scalar sa && b instanceof Scalar sb) {
        return scalars(sa, sb);
      }
      return null;
    }

    private String scalars(Scalar a, Scalar b) {
      String rule = expressions(a.expr(), b.expr());
      if (rule != null || a.percent() == b.percent()) {
        return rule;
      }
      // 45% equals 45 (the percent sign as a unit, MATH's convention) and also 0.45 (its value).
      Scalar percent = a.percent() ? a : b;
      Scalar plain = a.percent() ? b : a;
      MathExpr value = new Binary(Operator.DIVIDE, percent.expr(), new Num(ExactRational.of(100), false));
      return prefixed("percent: x% read as x/100",
          a.percent() ? expressions(value, plain.expr()) : expressions(plain.expr(), value));
    }

    String expressions(MathExpr a, MathExpr b) {
      TreeSet<String> variables = new TreeSet<>();
      a.collectVariables(variables);
      b.collectVariables(variables);
      double tolerance = a.hasDecimal() || b.hasDecimal() ? relativeTolerance : 0;
      if (variables.isEmpty()) {
        MathValue va;
        MathValue vb;
        try {
          va = a.evaluate(Map.of(), deadline);
          vb = b.evaluate(Map.of(), deadline);
        } catch (ArithmeticException e) {
          return null;
        }
        double tol = va.isExact() && vb.isExact() ? tolerance : Math.max(tolerance, DIGITS_TOLERANCE);
        if (!va.sameAs(vb, tol)) {
          if (!roundedDecimals) {
            return null;
          }
          // A reference written as a decimal is the value asked for; only the candidate's decimals are roundings.
          return flipped ? rounded(b, va, a) : rounded(a, vb, b);
        }
        if (va.isExact() && vb.isExact() && va.exactValue().equals(vb.exactValue())) {
          return "numeric: equal exact values (" + va + ")";
        }
        if (va.isInfinite()) {
          return "numeric: same infinity";
        }
        return tol > DIGITS_TOLERANCE
            ? "numeric: " + va + " within relative tolerance " + tolerance + " of " + vb
            : "numeric: equal to " + significantDigits() + " significant digits (" + va + ")";
      }
      int agreeing = 0;
      boolean allExact = true;
      for (int attempt = 0; attempt < MAX_ATTEMPTS && agreeing < POINTS_NEEDED; attempt++) {
        MathValue[] values = bothAt(a, b, variables, attempt);
        if (values == null) {
          continue;
        }
        MathValue va = values[0];
        MathValue vb = values[1];
        allExact &= va.isExact() && vb.isExact();
        double tol = va.isExact() && vb.isExact() ? tolerance : Math.max(tolerance, DIGITS_TOLERANCE);
        if (!va.sameAs(vb, tol)) {
          return null;
        }
        agreeing++;
      }
      if (agreeing < POINTS_NEEDED) {
        return null;
      }
      return "symbolic: difference is 0 at " + agreeing + " random points of " + String.join(",", variables)
          + (allExact ? " (exact rational arithmetic)"
              : " (" + MathValue.PRECISION.getPrecision() + "-digit arithmetic)")
          + (tolerance > 0 ? ", relative tolerance " + tolerance : "");
    }

    /**
     * Whether {@code literal}, a plain decimal such as {@code 0.67}, is {@code value} rounded to the digits it shows:
     * within half a unit of its last digit, and that half unit below 1% of it (so {@code 0.33} is not {@code 1/3}).
     */
    private String rounded(MathExpr literal, MathValue value, MathExpr other) {
      boolean negative = literal instanceof Negation;
      MathExpr inner = negative ? ((Negation) literal).operand() : literal;
      if (!(inner instanceof Num n) || n.shownDigits() < 1 || other instanceof Num o && o.decimal()
          || value.isInfinite()) {
        return null;
      }
      BigDecimal shown = n.value().toBigDecimal(MathValue.PRECISION);
      shown = negative ? shown.negate() : shown;
      BigDecimal halfUnit = BigDecimal.valueOf(5, n.shownDigits() + 1);
      if (halfUnit.compareTo(shown.abs().multiply(ROUNDED_PRECISION)) >= 0
          || value.decimal().subtract(shown).abs().compareTo(halfUnit) > 0) {
        return null;
      }
      return "rounded decimal: " + shown.toPlainString() + " is " + value + " rounded to " + n.shownDigits()
          + " decimal places";
    }

    /** Both sides at the {@code attempt}-th point, or null outside either one's domain there (a root of a negative, a pole). */
    private MathValue[] bothAt(MathExpr a, MathExpr b, java.util.Set<String> variables, int attempt) {
      deadline.checkNow();
      Map<String, ExactRational> point = pointFor(variables, attempt);
      try {
        return new MathValue[]{a.evaluate(point, deadline), b.evaluate(point, deadline)};
      } catch (ArithmeticException e) {
        return null;
      }
    }

    /** Equations and inequalities: the same relation between sides whose differences agree up to a constant factor. */
    private String relations(Relations a, Relations b) {
      Relations na = normalized(a);
      Relations nb = normalized(b);
      if (!na.relations().equals(nb.relations())) {
        Membership ma = asMembership(a);
        Membership mb = asMembership(b);
        return ma != null && mb != null ? prefixed("inequalities read as intervals", match(ma, mb)) : null;
      }
      if (na.sides().size() == 2) {
        Relation relation = na.relations().get(0);
        MathExpr da = new Binary(Operator.SUBTRACT, na.sides().get(0), na.sides().get(1));
        MathExpr db = new Binary(Operator.SUBTRACT, nb.sides().get(0), nb.sides().get(1));
        boolean anySign = relation == Relation.EQ || relation == Relation.NE;
        String rule = proportional(da, db, anySign);
        if (rule == null && anySign) {
          return null;
        }
        return rule == null ? null
            : (relation == Relation.EQ ? "equation: " : relation == Relation.NE ? "relation: " : "inequality: ") + rule;
      }
      for (int i = 0; i < na.sides().size(); i++) {
        if (expressions(na.sides().get(i), nb.sides().get(i)) == null) {
          return null;
        }
      }
      return "inequality chain: same relations between equal sides";
    }

    /** Whether {@code a = c * b} for one constant {@code c} (positive unless {@code anySign}). */
    private String proportional(MathExpr a, MathExpr b, boolean anySign) {
      TreeSet<String> variables = new TreeSet<>();
      a.collectVariables(variables);
      b.collectVariables(variables);
      double tolerance = a.hasDecimal() || b.hasDecimal() ? relativeTolerance : 0;
      MathValue ratio = null;
      int informative = 0;
      for (int attempt = 0; attempt < MAX_ATTEMPTS && informative < POINTS_NEEDED; attempt++) {
        MathValue[] values = bothAt(a, b, variables, attempt);
        if (values == null) {
          continue;
        }
        MathValue va = values[0];
        MathValue vb = values[1];
        double tol = va.isExact() && vb.isExact() ? tolerance : Math.max(tolerance, DIGITS_TOLERANCE);
        MathValue zero = MathValue.exact(ExactRational.ZERO);
        boolean aZero = va.sameAs(zero, tol);
        boolean bZero = vb.sameAs(zero, tol);
        if (aZero || bZero) {
          if (aZero != bZero) {
            return null;
          }
          if (variables.isEmpty()) {
            return "both sides equal (no variables)";
          }
          continue;
        }
        MathValue r = va.dividedBy(vb);
        if (ratio == null) {
          if (!anySign && r.signum() < 0) {
            return null;
          }
          ratio = r;
        } else if (!r.sameAs(ratio, tol)) {
          return null;
        }
        informative++;
        if (variables.isEmpty()) {
          break;
        }
      }
      if (ratio == null || (informative < POINTS_NEEDED && !variables.isEmpty())) {
        return null;
      }
      if (variables.isEmpty()) {
        return null; // two different true (or false) statements about numbers are not the same answer
      }
      return "differences of the sides agree up to the factor " + ratio + " at " + informative + " random points";
    }

    /**
     * The value a chain of equalities ends in ({@code n = 3\cdot 4 + 2 = 14}, {@code \frac23 \approx 0.67}): every
     * side after the first constant and equal to the last, the first a variable or constant too; else null.
     */
    private MathExpr chainValue(Relations r) {
      List<MathExpr> sides = r.sides();
      if (r.relations().stream().anyMatch(x -> x != Relation.EQ)
          || !(sides.get(0) instanceof Variable || isConstant(sides.get(0)))) {
        return null;
      }
      MathExpr last = sides.get(sides.size() - 1);
      for (int i = 0; i < sides.size() - 1; i++) {
        MathExpr side = sides.get(i);
        if (i == 0 && side instanceof Variable) {
          continue;
        }
        if (!isConstant(side) || expressions(side, last) == null && expressions(last, side) == null) {
          return null;
        }
      }
      return isConstant(last) ? last : null;
    }

    private String inOrder(List<MathAnswer> a, List<MathAnswer> b) {
      if (a.size() != b.size()) {
        return null;
      }
      for (int i = 0; i < a.size(); i++) {
        if (match(a.get(i), b.get(i)) == null) {
          return null;
        }
      }
      return "ordered: " + a.size() + " elements match in order";
    }

    private String unordered(List<MathAnswer> a, List<MathAnswer> b, String what) {
      if (a.size() != b.size()) {
        return null;
      }
      boolean[] used = new boolean[b.size()];
      outer : for (MathAnswer x : a) {
        for (int j = 0; j < b.size(); j++) {
          if (!used[j] && match(x, b.get(j)) != null) {
            used[j] = true;
            continue outer;
          }
        }
        return null;
      }
      return what + ": " + a.size() + " elements match, order ignored";
    }

    private String matrices(Matrix a, Matrix b) {
      if (a.rows().size() != b.rows().size() || a.rows().get(0).size() != b.rows().get(0).size()) {
        List<MathExpr> va = vector(a);
        List<MathExpr> vb = vector(b);
        if (va == null || vb == null || va.size() != vb.size()) {
          return null;
        }
      }
      List<MathExpr> ea = a.rows().stream().flatMap(List::stream).toList();
      List<MathExpr> eb = b.rows().stream().flatMap(List::stream).toList();
      if (ea.size() != eb.size()) {
        return null;
      }
      for (int i = 0; i < ea.size(); i++) {
        if (expressions(ea.get(i), eb.get(i)) == null) {
          return null;
        }
      }
      return "matrix: " + ea.size() + " entries match element-wise";
    }
  }

  /** The elements of a one-row or one-column matrix, else null. */
  static List<MathExpr> vector(Matrix m) {
    if (m.rows().size() == 1) {
      return m.rows().get(0);
    }
    if (m.rows().get(0).size() == 1) {
      return m.rows().stream().map(r -> r.get(0)).toList();
    }
    return null;
  }

  /** {@code y = 2x + 1} as the equation it is, when its label is a plain variable and its value a single expression. */
  static Relations asEquation(Labelled labelled) {
    if (labelled.value() instanceof Scalar s && !s.percent() && isVariableName(labelled.label())) {
      return new Relations(List.of(new Variable(labelled.label()), s.expr()), List.of(Relation.EQ));
    }
    return null;
  }

  private static boolean isVariableName(String label) {
    return label.matches("[A-Za-z](?:_[A-Za-z0-9]+)?'*|\\\\[A-Za-z]+");
  }

  /** Greater-than relations turned around, so that {@code 4 \geq y} reads {@code y \leq 4}. */
  static Relations normalized(Relations r) {
    boolean allGreater = r.relations().stream().allMatch(x -> x == Relation.GT || x == Relation.GE);
    boolean twoSided = r.sides().size() == 2;
    if (!allGreater && !(twoSided && (r.relations().get(0) == Relation.GT || r.relations().get(0) == Relation.GE))) {
      return r;
    }
    List<MathExpr> sides = new ArrayList<>(r.sides());
    java.util.Collections.reverse(sides);
    List<Relation> relations = new ArrayList<>();
    for (int i = r.relations().size() - 1; i >= 0; i--) {
      relations.add(r.relations().get(i) == Relation.GT ? Relation.LT
          : r.relations().get(i) == Relation.GE ? Relation.LE : r.relations().get(i));
    }
    return new Relations(sides, relations);
  }

  /** {@code 0 < t \le 3} as {@code t \in (0, 3]}; null when it is not a bound on one variable by constants. */
  static Membership asMembership(Relations relations) {
    Relations r = normalized(relations);
    List<MathExpr> sides = r.sides();
    if (r.relations().stream().anyMatch(x -> x == Relation.EQ || x == Relation.GT || x == Relation.GE)) {
      return null;
    }
    Scalar minus = new Scalar(new Negation(new Constant("infinity")), false);
    Scalar plus = new Scalar(new Constant("infinity"), false);
    if (sides.size() == 2) {
      Relation rel = r.relations().get(0);
      if (sides.get(0) instanceof Variable v && isConstant(sides.get(1))) {
        Scalar c = new Scalar(sides.get(1), false);
        if (rel == Relation.NE) {
          return new Membership(v.name(), new Union(
              List.of(new Bracketed('(', List.of(minus, c), ')'), new Bracketed('(', List.of(c, plus), ')'))));
        }
        return new Membership(v.name(), new Bracketed('(', List.of(minus, c), rel == Relation.LE ? ']' : ')'));
      }
      if (sides.get(1) instanceof Variable v && isConstant(sides.get(0)) && rel != Relation.NE) {
        return new Membership(v.name(),
            new Bracketed(rel == Relation.LE ? '[' : '(', List.of(new Scalar(sides.get(0), false), plus), ')'));
      }
      return null;
    }
    if (sides.size() == 3 && sides.get(1) instanceof Variable v && isConstant(sides.get(0)) && isConstant(sides.get(2))
        && !r.relations().contains(Relation.NE)) {
      return new Membership(v.name(), new Bracketed(r.relations().get(0) == Relation.LE ? '[' : '(',
          List.of(new Scalar(sides.get(0), false), new Scalar(sides.get(2), false)),
          r.relations().get(1) == Relation.LE ? ']' : ')'));
    }
    return null;
  }

  /** {@code x < -2 \text{ or } x > 3} as {@code x} in the union of the intervals; null unless every item bounds one variable. */
  static Membership asUnion(Collection collection) {
    String variable = null;
    List<MathAnswer> parts = new ArrayList<>();
    for (MathAnswer item : collection.items()) {
      Membership m = item instanceof Relations r ? asMembership(r) : item instanceof Membership mm ? mm : null;
      if (m == null || (variable != null && !variable.equals(m.variable())) || collection.braces()) {
        return null;
      }
      variable = m.variable();
      if (m.set() instanceof Union u) {
        parts.addAll(u.parts());
      } else {
        parts.add(m.set());
      }
    }
    return variable == null || parts.size() < 2 ? null : new Membership(variable, new Union(parts));
  }

  private static boolean isConstant(MathExpr e) {
    TreeSet<String> variables = new TreeSet<>();
    e.collectVariables(variables);
    return variables.isEmpty();
  }

  static Map<String, ExactRational> pointFor(java.util.Set<String> variables, int attempt) {
    Map<String, ExactRational> point = new HashMap<>();
    for (String v : variables) {
      point.put(v, point(v, attempt));
    }
    return point;
  }

  private static int significantDigits() {
    return (int) Math.round(-Math.log10(DIGITS_TOLERANCE));
  }

  private static String prefixed(String prefix, String rule) {
    return rule == null ? null : prefix + "; " + rule;
  }

  /** Lower-case letters and digits only: how word answers are compared. */
  static String words(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("\\\\text\\{|[^a-z0-9]", "");
  }
}
