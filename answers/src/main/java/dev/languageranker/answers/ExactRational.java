package dev.languageranker.answers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact rational number read from a normalized math answer, so that {@code 0.5}, {@code 1/2} and
 * {@code \frac{1}{2}} compare equal without floating-point error.
 *
 * @param numerator the numerator, carrying the sign
 * @param denominator the denominator, always positive and coprime with the numerator
 */
public record ExactRational(BigInteger numerator, BigInteger denominator) {

  private static final String DECIMAL = "\\d+(?:\\.\\d*)?|\\.\\d+";
  private static final Pattern PLAIN = Pattern.compile("([+-]?)(" + DECIMAL + ")");
  private static final Pattern FRACTION = Pattern
      .compile("([+-]?)\\\\frac\\{([+-]?)(" + DECIMAL + ")\\}\\{([+-]?)(" + DECIMAL + ")\\}");
  private static final Pattern SLASH = Pattern.compile("([+-]?)(" + DECIMAL + ")/(" + DECIMAL + ")");
  private static final Pattern MIXED = Pattern.compile("([+-]?)(\\d+)\\\\frac\\{(\\d+)\\}\\{(\\d+)\\}");

  public ExactRational {
    if (denominator.signum() == 0) {
      throw new ArithmeticException("zero denominator");
    }
    if (denominator.signum() < 0) {
      numerator = numerator.negate();
      denominator = denominator.negate();
    }
    BigInteger gcd = numerator.gcd(denominator);
    if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
      numerator = numerator.divide(gcd);
      denominator = denominator.divide(gcd);
    }
  }

  /** Parses an integer, a decimal, {@code a/b}, {@code \frac{a}{b}} or a mixed number {@code 2\frac{1}{4}}; empty otherwise. */
  public static Optional<ExactRational> parse(String normalized) {
    try {
      Matcher m = PLAIN.matcher(normalized);
      if (m.matches()) {
        return Optional.of(signed(m.group(1), decimal(m.group(2))));
      }
      m = FRACTION.matcher(normalized);
      if (m.matches()) {
        return quotient(m.group(1), signed(m.group(2), decimal(m.group(3))), signed(m.group(4), decimal(m.group(5))));
      }
      m = SLASH.matcher(normalized);
      if (m.matches()) {
        return quotient(m.group(1), decimal(m.group(2)), decimal(m.group(3)));
      }
      m = MIXED.matcher(normalized);
      if (m.matches()) {
        ExactRational whole = new ExactRational(new BigInteger(m.group(2)), BigInteger.ONE);
        ExactRational part = new ExactRational(new BigInteger(m.group(3)), new BigInteger(m.group(4)));
        return Optional.of(signed(m.group(1), whole.plus(part)));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The canonical text: {@code 3}, {@code -1/2}. */
  @Override
  public String toString() {
    return denominator.equals(BigInteger.ONE) ? numerator.toString() : numerator + "/" + denominator;
  }

  /** The integer {@code value}. */
  public static ExactRational of(long value) {
    return new ExactRational(BigInteger.valueOf(value), BigInteger.ONE);
  }

  /** The exact value of a decimal literal such as {@code 12.75}. */
  public static ExactRational ofDecimal(BigDecimal value) {
    return value.scale() <= 0
        ? new ExactRational(value.toBigIntegerExact(), BigInteger.ONE)
        : new ExactRational(value.unscaledValue(), BigInteger.TEN.pow(value.scale()));
  }

  /** {@code this + other}. */
  public ExactRational plus(ExactRational other) {
    if (denominator.equals(other.denominator)) {
      return new ExactRational(numerator.add(other.numerator), denominator);
    }
    return new ExactRational(
        numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
        denominator.multiply(other.denominator));
  }

  /** {@code this - other}. */
  public ExactRational minus(ExactRational other) {
    return plus(other.negate());
  }

  /** {@code this * other}. */
  public ExactRational times(ExactRational other) {
    return new ExactRational(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
  }

  /** {@code this / other}; throws {@link ArithmeticException} when {@code other} is zero. */
  public ExactRational dividedBy(ExactRational other) {
    return new ExactRational(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
  }

  /** {@code -this}. */
  public ExactRational negate() {
    return new ExactRational(numerator.negate(), denominator);
  }

  /** {@code this} to the integer power {@code exponent}; throws {@link ArithmeticException} for 0 to a negative power. */
  public ExactRational pow(int exponent) {
    ExactRational base = exponent < 0 ? ONE.dividedBy(this) : this;
    int e = Math.abs(exponent);
    return new ExactRational(base.numerator.pow(e), base.denominator.pow(e));
  }

  /** -1, 0 or 1. */
  public int signum() {
    return numerator.signum();
  }

  /** Whether the value is a whole number. */
  public boolean isInteger() {
    return denominator.equals(BigInteger.ONE);
  }

  /** The number of bits of numerator and denominator together: a measure of how costly the value is to compute with. */
  public int bitLength() {
    return numerator.bitLength() + denominator.bitLength();
  }

  /** The value rounded to {@code context}. */
  public BigDecimal toBigDecimal(java.math.MathContext context) {
    return isInteger()
        ? new BigDecimal(numerator, context)
        : new BigDecimal(numerator).divide(new BigDecimal(denominator), context);
  }

  /** 0 as a rational. */
  public static final ExactRational ZERO = of(0);

  /** 1 as a rational. */
  public static final ExactRational ONE = of(1);

  private static Optional<ExactRational> quotient(String sign, ExactRational top, ExactRational bottom) {
    if (bottom.numerator.signum() == 0) {
      return Optional.empty();
    }
    ExactRational q = new ExactRational(top.numerator.multiply(bottom.denominator),
        top.denominator.multiply(bottom.numerator));
    return Optional.of(signed(sign, q));
  }

  private static ExactRational signed(String sign, ExactRational value) {
    return "-".equals(sign) ? new ExactRational(value.numerator.negate(), value.denominator) : value;
  }

  private static ExactRational decimal(String text) {
    return ofDecimal(new BigDecimal(text.endsWith(".") ? text + "0" : text));
  }
}
