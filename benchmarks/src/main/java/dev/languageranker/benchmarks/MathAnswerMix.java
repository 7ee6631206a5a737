package dev.languageranker.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A seeded mix of math answers as models write them (worked solutions ending in a boxed answer; equal and near-miss
 * answers in every form the verifier handles), shared by {@code bench verify-math} and the JMH benchmark.
 */
public final class MathAnswerMix {

  /** What the mix is, for benchmark output. */
  public static final String DESCRIPTION = "worked solution (~300 chars of prose) ending in $\\boxed{answer}$, "
      + "reference answer alone; about half equal, half near misses";

  private MathAnswerMix() {}

  /** One kind of answer in the mix: its share, and a generator of an (answer, reference, equal?) triple. */
  public record Form(String name, int weight, Function<SplittableRandom, String[]> make) {}

  public static final List<Form> FORMS = List.of(
      new Form("integer", 30, r -> {
        int n = r.nextInt(1, 100_000);
        return r.nextBoolean() ? pair(String.format("%,d", n), String.valueOf(n))
            : pair(String.valueOf(n), String.valueOf(n + 1));
      }),
      new Form("fraction_or_decimal", 20, r -> {
        int q = new int[]{2, 4, 5, 8, 10, 16, 20, 25}[r.nextInt(8)];
        int p = r.nextInt(1, 3 * q);
        String decimal = new java.math.BigDecimal(p).divide(new java.math.BigDecimal(q)).toPlainString();
        return r.nextBoolean() ? pair("\\dfrac{" + p + "}{" + q + "}", decimal)
            : pair("\\frac{" + (p + 1) + "}{" + q + "}", decimal);
      }),
      new Form("radical_or_pi", 10, r -> {
        int a = r.nextInt(2, 9);
        int b = new int[]{2, 3, 5, 6, 7}[r.nextInt(5)];
        return switch (r.nextInt(3)) {
          case 0 -> pair(a + "\\sqrt{" + b + "}", "\\sqrt{" + (a * a * b) + "}");
          case 1 -> pair(a + " - \\sqrt{" + b + "}", a + " + \\sqrt{" + b + "}");
          default -> pair("\\frac{" + a + "\\pi}{3}", "\\frac{" + a + "}{3}\\pi");
        };
      }),
      new Form("polynomial", 10, r -> {
        int a = r.nextInt(1, 9);
        int b = r.nextInt(1, 9);
        String expanded = "x^2 + " + (a + b) + "x + " + (a * b);
        return r.nextBoolean() ? pair("(x+" + a + ")(x+" + b + ")", expanded)
            : pair("(x+" + a + ")(x-" + b + ")", expanded);
      }),
      new Form("tuple_or_interval", 10, r -> {
        int a = r.nextInt(-9, 9);
        int b = a + r.nextInt(1, 9);
        return r.nextBoolean() ? pair("\\left( " + a + ", \\frac{" + (2 * b) + "}{2} \\right)", "(" + a + "," + b + ")")
            : pair("[" + a + ", " + b + ")", "(" + a + ", " + b + ")");
      }),
      new Form("set", 5, r -> {
        int a = r.nextInt(1, 9);
        return r.nextBoolean() ? pair("\\{" + (a + 2) + ", " + a + "\\}", a + ", " + (a + 2))
            : pair(a + " and " + (a + 1), a + ", " + (a + 2));
      }),
      new Form("relation", 5, r -> {
        int c = r.nextInt(1, 9);
        return r.nextBoolean() ? pair(c + " \\geq y", "y \\le " + c)
            : pair("2y - " + (2 * c) + " = x", "y = \\frac{x}{2} + " + c);
      }),
      new Form("matrix", 3, r -> {
        int a = r.nextInt(1, 9);
        return pair("\\begin{pmatrix} " + a + " & 0.5 \\\\ -1 & 2 \\end{pmatrix}",
            "\\begin{pmatrix} " + a + " & \\frac12 \\\\ -1 & 2 \\end{pmatrix}");
      }),
      new Form("labelled_percent_unit", 7, r -> {
        int n = r.nextInt(1, 99);
        return switch (r.nextInt(3)) {
          case 0 -> pair("x = " + n, String.valueOf(n));
          case 1 -> pair(n + "\\%", n + " percent");
          default -> pair(n + " \\text{ cm}^2", String.valueOf(n));
        };
      }));

  private static String[] pair(String answer, String reference) {
    return new String[]{answer, reference};
  }

  /** {@code cases} (response, reference) pairs drawn with {@code seed}. */
  public static List<String[]> cases(long seed, int cases) {
    SplittableRandom random = new SplittableRandom(seed);
    int total = FORMS.stream().mapToInt(Form::weight).sum();
    List<String[]> work = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      int pick = random.nextInt(total);
      Form form = FORMS.get(0);
      for (Form f : FORMS) {
        if (pick < f.weight()) {
          form = f;
          break;
        }
        pick -= f.weight();
      }
      String[] pair = form.make().apply(random);
      String response = "We set up the problem step by step. First, we compute the intermediate quantity and simplify; "
          + "next we substitute it back and check the constraints of the problem statement. Step " + i + ": the terms "
          + "combine as shown, so nothing else remains to be done.\nTherefore the final answer is $\\boxed{" + pair[0]
          + "}$.";
      work.add(new String[]{response, pair[1]});
    }
    return work;
  }

}
