package dev.languageranker.answers;

import ch.obermuhlner.math.big.BigDecimalMath;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An arithmetic expression parsed from an answer, evaluated exactly where it can be ({@link MathValue}). */
public sealed interface MathExpr {

  /** The value with every variable taken from {@code point}; throws {@link ArithmeticException} outside the domain. */
  MathValue evaluate(Map<String, ExactRational> point, Deadline deadline);

  /** Adds the names of this expression's variables to {@code into}. */
  void collectVariables(Set<String> into);

  /** Whether a number in it was written with a decimal point (a value the writer may have rounded). */
  boolean hasDecimal();

  /**
   * A number literal; {@code decimal} when written with a decimal point or in scientific notation; {@code shownDigits}
   * the digits after a plain decimal point ({@code 0.670}: 3), else -1.
   */
  record Num(ExactRational value, boolean decimal, int shownDigits) implements MathExpr {
    Num(ExactRational value, boolean decimal) {
      this(value, decimal, -1);
    }

    @Override
    public MathValue evaluate(Map<String, ExactRational> point, Deadline deadline) {
      return MathValue.exact(value);
    }

    @Override
    public void collectVariables(Set<String> into) {}

    @Override
    public boolean hasDecimal() {
      return decimal;
    }
  }

  /** A variable such as {@code x}, {@code a_1} or {@code \theta}. */
  record Variable(String name) implements MathExpr {
    @Override
    public MathValue evaluate(Map<String, ExactRational> point, Deadline deadline) {
      ExactRational value = point.get(name);
      if (value == null) {
        throw new ArithmeticException("no value for " + name);
      }
      return MathValue.exact(value);
    }

    @Override
    public void collectVariables(Set<String> into) {
      into.add(name);
    }

    @Override
    public boolean hasDecimal() {
      return false;
    }
  }

  /** The constants pi and e, and plus or minus infinity. */
  record Constant(String name) implements MathExpr {
    private static final MathValue PI = MathValue.approximate(BigDecimalMath.pi(MathValue.PRECISION));
    private static final MathValue E = MathValue.approximate(BigDecimalMath.e(MathValue.PRECISION));

    @Override
    public MathValue evaluate(Map<String, ExactRational> point, Deadline deadline) {
      return switch (name) {
        case "pi" -> PI;
        case "e" -> E;
        case "infinity" -> MathValue.infinity(1);
        default -> throw new ArithmeticException("unknown constant " + name);
      };
    }

    @Override
    public void collectVariables(Set<String> into) {}

    @Override
    public boolean hasDecimal() {
      return false;
    }
  }

  /** Arithmetic operators; {@code PLUS_MINUS} is expanded into two answers before anything is evaluated. */
  enum Operator {
    ADD, SUBTRACT, MULTIPLY, DIVIDE, POWER, PLUS_MINUS
  }

  /** {@code left op right}. */
  record Binary(Operator op, MathExpr left, MathExpr right) implements MathExpr {
    @Override
    public MathValue evaluate(Map<String, ExactRational> point, Deadline deadline) {
      deadline.check();
      MathValue a = left.evaluate(point, deadline);
      MathValue b = right.evaluate(point, deadline);
      return switch (op) {
        case ADD -> a.plus(b);
        case SUBTRACT -> a.minus(b);
        case MULTIPLY -> a.times(b);
        case DIVIDE -> a.dividedBy(b);
        case POWER -> a.pow(b);
        case PLUS_MINUS -> throw new ArithmeticException("\\pm in an expression");
      };
    }

    @Override
    public void collectVariables(Set<String> into) {
      left.collectVariables(into);
      right.collectVariables(into);
    }

    @Override
    public boolean hasDecimal() {
      return left.hasDecimal() || right.hasDecimal();
    }
  }

  /** {@code -operand}. */
  record Negation(MathExpr operand) implements MathExpr {
    @Override
    public MathValue evaluate(Map<String, ExactRational> point, Deadline deadline) {
      MathValue v = operand.evaluate(point, deadline);
      return v.negate();
    }

    @Override
    public void collectVariables(Set<String> into) {
      operand.collectVariables(into);
    }

    @Override
    public boolean hasDecimal() {
      return operand.hasDecimal();
    }
  }

  /** A function of one or more arguments: trigonometric, logarithms, roots, absolute value, factorial, binomial. */
  record Call(String function, List<MathExpr> args) implements MathExpr {
    private static final int MAX_FACTORIAL = 2_000;

    @Override
    public MathValue evaluate(Map<String, ExactRational> point, Deadline deadline) {
      deadline.check();
      MathValue x = args.get(0).evaluate(point, deadline);
      return switch (function) {
        case "sqrt" -> x.root(2);
        case "root" -> x.root(smallInteger(args.get(1).evaluate(point, deadline), "root order"));
        case "abs" -> x.signum() < 0 ? x.negate() : x;
        case "floor", "ceil" -> rounded(x, function.equals("floor") ? RoundingMode.FLOOR : RoundingMode.CEILING);
        case "factorial" -> factorial(x, deadline);
        case "binom" -> binomial(x, args.get(1).evaluate(point, deadline));
        case "log" -> logarithm(x, args.size() > 1 ? args.get(1).evaluate(point, deadline) : null);
        case "ln" -> x.apply(function, v -> BigDecimalMath.log(v, MathValue.PRECISION));
        case "exp" -> x.apply(function, v -> BigDecimalMath.exp(v, MathValue.PRECISION));
        case "sin" -> x.signum() == 0 ? x : x.apply(function, v -> BigDecimalMath.sin(v, MathValue.PRECISION));
        case "cos" -> x.apply(function, v -> BigDecimalMath.cos(v, MathValue.PRECISION));
        case "tan" -> x.signum() == 0 ? x : x.apply(function, v -> BigDecimalMath.tan(v, MathValue.PRECISION));
        case "cot" -> x.apply(function, v -> BigDecimalMath.cot(v, MathValue.PRECISION));
        case "sec" -> MathValue.exact(ExactRational.ONE)
            .dividedBy(x.apply(function, v -> BigDecimalMath.cos(v, MathValue.PRECISION)));
        case "csc" -> MathValue.exact(ExactRational.ONE)
            .dividedBy(x.apply(function, v -> BigDecimalMath.sin(v, MathValue.PRECISION)));
        case "arcsin" -> x.apply(function, v -> BigDecimalMath.asin(v, MathValue.PRECISION));
        case "arccos" -> x.apply(function, v -> BigDecimalMath.acos(v, MathValue.PRECISION));
        case "arctan" -> x.apply(function, v -> BigDecimalMath.atan(v, MathValue.PRECISION));
        case "sinh" -> x.apply(function, v -> BigDecimalMath.sinh(v, MathValue.PRECISION));
        case "cosh" -> x.apply(function, v -> BigDecimalMath.cosh(v, MathValue.PRECISION));
        case "tanh" -> x.apply(function, v -> BigDecimalMath.tanh(v, MathValue.PRECISION));
        default -> throw new ArithmeticException("unknown function " + function);
      };
    }

    @Override
    public void collectVariables(Set<String> into) {
      for (MathExpr arg : args) {
        arg.collectVariables(into);
      }
    }

    @Override
    public boolean hasDecimal() {
      return args.stream().anyMatch(MathExpr::hasDecimal);
    }

    private static MathValue logarithm(MathValue x, MathValue base) {
      if (x.signum() <= 0 || (base != null && base.signum() <= 0)) {
        throw new ArithmeticException("logarithm of a non-positive number");
      }
      MathValue ln = x.apply("log", v -> BigDecimalMath.log(v, MathValue.PRECISION));
      // log without a base is the natural logarithm, as in most olympiad and calculus answers.
      return base == null ? ln : ln.dividedBy(base.apply("log", v -> BigDecimalMath.log(v, MathValue.PRECISION)));
    }

    private static MathValue rounded(MathValue x, RoundingMode mode) {
      return MathValue.exact(ExactRational.ofDecimal(x.decimal().setScale(0, mode)));
    }

    private static MathValue factorial(MathValue x, Deadline deadline) {
      int n = smallInteger(x, "factorial argument");
      if (n < 0 || n > MAX_FACTORIAL) {
        throw new ArithmeticException("factorial of " + n);
      }
      BigInteger result = BigInteger.ONE;
      for (int i = 2; i <= n; i++) {
        result = result.multiply(BigInteger.valueOf(i));
        deadline.check();
      }
      return MathValue.exact(new ExactRational(result, BigInteger.ONE));
    }

    private static MathValue binomial(MathValue n, MathValue k) {
      int top = smallInteger(n, "binomial argument");
      int bottom = smallInteger(k, "binomial argument");
      if (top < 0 || top > MAX_FACTORIAL || bottom < 0) {
        throw new ArithmeticException("binomial of " + top);
      }
      if (bottom > top) {
        return MathValue.exact(ExactRational.ZERO);
      }
      BigInteger result = BigInteger.ONE;
      for (int i = 1; i <= bottom; i++) {
        result = result.multiply(BigInteger.valueOf(top - bottom + i)).divide(BigInteger.valueOf(i));
      }
      return MathValue.exact(new ExactRational(result, BigInteger.ONE));
    }

    private static int smallInteger(MathValue v, String what) {
      if (!v.isExact() || !v.exactValue().isInteger() || v.exactValue().numerator().bitLength() > 20) {
        throw new ArithmeticException(what + " must be a small integer");
      }
      return v.exactValue().numerator().intValueExact();
    }
  }
}
