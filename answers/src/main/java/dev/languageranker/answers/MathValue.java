package dev.languageranker.answers;

import ch.obermuhlner.math.big.BigDecimalMath;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.UnaryOperator;

/**
 * A real value computed from an answer: exact (a rational) as long as only rational operations made it, otherwise a
 * 40-digit decimal; or plus or minus infinity (interval ends). Operations outside the real domain, or whose result
 * would be too large to compute, throw {@link ArithmeticException}.
 */
public final class MathValue {

  /** The working precision of irrational values. */
  public static final MathContext PRECISION = new MathContext(40, RoundingMode.HALF_EVEN);
  private static final int MAX_EXACT_BITS = 100_000;
  private static final BigDecimal MAX_TRIG_ARGUMENT = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal MAX_EXP_ARGUMENT = BigDecimal.valueOf(10_000);

  private final ExactRational exact;
  private final BigDecimal approx;
  private final int infinity;

  private MathValue(ExactRational exact, BigDecimal approx, int infinity) {
    this.exact = exact;
    this.approx = approx;
    this.infinity = infinity;
  }

  /** An exact value. */
  public static MathValue exact(ExactRational value) {
    return new MathValue(value, null, 0);
  }

  /** An irrational (or rounded) value. */
  public static MathValue approximate(BigDecimal value) {
    return new MathValue(null, value.round(PRECISION), 0);
  }

  /** Plus infinity for {@code sign > 0}, minus infinity otherwise. */
  public static MathValue infinity(int sign) {
    return new MathValue(null, null, sign > 0 ? 1 : -1);
  }

  public boolean isExact() {
    return exact != null;
  }

  public boolean isInfinite() {
    return infinity != 0;
  }

  /** The exact value; only when {@link #isExact()}. */
  public ExactRational exactValue() {
    return exact;
  }

  /** The value as a decimal (rounded to {@link #PRECISION} when exact); not for infinities. */
  public BigDecimal decimal() {
    finite();
    return exact != null ? exact.toBigDecimal(PRECISION) : approx;
  }

  public int signum() {
    return infinity != 0 ? infinity : exact != null ? exact.signum() : approx.signum();
  }

  public MathValue negate() {
    return infinity != 0 ? infinity(-infinity) : exact != null ? exact(exact.negate()) : approximate(approx.negate());
  }

  public MathValue plus(MathValue other) {
    finite(other);
    return exact != null && other.exact != null ? exact(exact.plus(other.exact))
        : approximate(decimal().add(other.decimal(), PRECISION));
  }

  public MathValue minus(MathValue other) {
    return plus(other.negate());
  }

  public MathValue times(MathValue other) {
    finite(other);
    if (exact != null && other.exact != null) {
      if (exact.bitLength() + other.exact.bitLength() > MAX_EXACT_BITS) {
        throw new ArithmeticException("number too large");
      }
      return exact(exact.times(other.exact));
    }
    return approximate(decimal().multiply(other.decimal(), PRECISION));
  }

  public MathValue dividedBy(MathValue other) {
    finite(other);
    if (other.signum() == 0) {
      throw new ArithmeticException("division by zero");
    }
    if (exact != null && other.exact != null) {
      return exact(exact.dividedBy(other.exact));
    }
    return approximate(decimal().divide(other.decimal(), PRECISION));
  }

  /** {@code this ^ exponent}: exact for rational bases with integer exponents and for perfect roots. */
  public MathValue pow(MathValue exponent) {
    finite(exponent);
    if (exponent.exact != null && exponent.exact.isInteger()) {
      BigInteger e = exponent.exact.numerator();
      if (exact != null && e.bitLength() < 31 && (long) exact.bitLength() * e.abs().longValue() <= MAX_EXACT_BITS) {
        if (exact.signum() == 0 && e.signum() < 0) {
          throw new ArithmeticException("division by zero");
        }
        return exact(exact.pow(e.intValueExact()));
      }
      if (e.bitLength() < 31) {
        BigDecimal base = decimal();
        if (base.signum() == 0 && e.signum() < 0) {
          throw new ArithmeticException("division by zero");
        }
        return approximate(base.pow(e.intValueExact(), PRECISION));
      }
      throw new ArithmeticException("exponent too large");
    }
    if (exact != null && exponent.exact != null && exponent.exact.denominator().bitLength() < 8) {
      // a^(p/q) with a rational: exact when a is a perfect q-th power.
      int q = exponent.exact.denominator().intValueExact();
      MathValue root = root(q);
      return root.pow(exact(new ExactRational(exponent.exact.numerator(), BigInteger.ONE)));
    }
    BigDecimal base = decimal();
    if (base.signum() < 0) {
      throw new ArithmeticException("negative base to a non-integer power");
    }
    if (base.signum() == 0) {
      if (exponent.signum() <= 0) {
        throw new ArithmeticException("zero to a non-positive power");
      }
      return exact(ExactRational.ZERO);
    }
    BigDecimal logarithm = BigDecimalMath.log(base, PRECISION).multiply(exponent.decimal(), PRECISION);
    if (logarithm.abs().compareTo(MAX_EXP_ARGUMENT) > 0) {
      throw new ArithmeticException("number too large");
    }
    return approximate(BigDecimalMath.exp(logarithm, PRECISION));
  }

  /** The real {@code n}-th root; exact when the value is a perfect power. */
  public MathValue root(int n) {
    finite();
    if (n < 1) {
      throw new ArithmeticException("root of order " + n);
    }
    if (n == 1) {
      return this;
    }
    if (signum() < 0) {
      if (n % 2 == 0) {
        throw new ArithmeticException("even root of a negative number");
      }
      return negate().root(n).negate();
    }
    if (exact != null) {
      BigInteger top = integerRoot(exact.numerator(), n);
      BigInteger bottom = integerRoot(exact.denominator(), n);
      if (top != null && bottom != null) {
        return exact(new ExactRational(top, bottom));
      }
    }
    BigDecimal x = decimal();
    return approximate(n == 2 ? x.sqrt(PRECISION) : BigDecimalMath.root(x, BigDecimal.valueOf(n), PRECISION));
  }

  /** Applies a 40-digit function to this value (trigonometric, logarithm...), guarding its argument's size. */
  public MathValue apply(String name, UnaryOperator<BigDecimal> function) {
    BigDecimal x = decimal();
    if (x.abs().compareTo(name.equals("exp") ? MAX_EXP_ARGUMENT : MAX_TRIG_ARGUMENT) > 0) {
      throw new ArithmeticException("argument of " + name + " too large");
    }
    return approximate(function.apply(x));
  }

  /**
   * Whether this equals {@code other}: exactly when both are exact and {@code tolerance} is zero, else within the
   * relative {@code tolerance} (absolute near zero).
   */
  public boolean sameAs(MathValue other, double tolerance) {
    if (infinity != 0 || other.infinity != 0) {
      return infinity == other.infinity;
    }
    if (exact != null && other.exact != null && exact.equals(other.exact)) {
      return true;
    }
    if (tolerance <= 0 && exact != null && other.exact != null) {
      return false;
    }
    BigDecimal a = decimal();
    BigDecimal b = other.decimal();
    BigDecimal scale = a.abs().max(b.abs()).max(BigDecimal.ONE);
    return a.subtract(b, PRECISION).abs().compareTo(scale.multiply(BigDecimal.valueOf(tolerance), PRECISION)) <= 0;
  }

  /** The value for an answer key: exact as {@code p/q}, else rounded to 12 significant digits. */
  public String keyText() {
    if (infinity != 0) {
      return infinity > 0 ? "inf" : "-inf";
    }
    if (exact != null) {
      return exact.toString();
    }
    BigDecimal rounded = approx.round(new MathContext(12, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    return "~" + (rounded.signum() == 0 ? "0" : rounded.toString());
  }

  @Override
  public String toString() {
    return infinity != 0 ? (infinity > 0 ? "\\infty" : "-\\infty")
        : exact != null ? exact.toString() : approx.round(new MathContext(12)).toString();
  }

  private void finite(MathValue... others) {
    if (infinity != 0) {
      throw new ArithmeticException("arithmetic with infinity");
    }
    for (MathValue o : others) {
      if (o.infinity != 0) {
        throw new ArithmeticException("arithmetic with infinity");
      }
    }
  }

  /** The exact integer n-th root of {@code value}, or null when it is not a perfect power. */
  private static BigInteger integerRoot(BigInteger value, int n) {
    if (value.signum() == 0 || value.equals(BigInteger.ONE)) {
      return value;
    }
    BigInteger guess;
    if (n == 2) {
      guess = value.sqrt();
    } else {
      guess = BigDecimalMath
          .root(new BigDecimal(value), BigDecimal.valueOf(n), new MathContext(value.bitLength() / n / 3 + 10))
          .setScale(0, RoundingMode.HALF_UP).toBigInteger();
    }
    for (int d = -1; d <= 1; d++) {
      BigInteger candidate = guess.add(BigInteger.valueOf(d));
      if (candidate.signum() > 0 && candidate.pow(n).equals(value)) {
        return candidate;
      }
    }
    return null;
  }
}
