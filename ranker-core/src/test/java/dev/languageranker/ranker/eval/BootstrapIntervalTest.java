package dev.languageranker.ranker.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapIntervalTest {

  private static double[] bernoulli(int n, double p, SplittableRandom random) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextDouble() < p ? 1 : 0;
    }
    return values;
  }

  @Test
  void meanIntervalSurroundsTheMeanAndShrinksWithMorePrompts() {
    SplittableRandom random = new SplittableRandom(1);
    BootstrapInterval bootstrap = BootstrapInterval.defaults(7);
    BootstrapInterval.Estimate small = bootstrap.mean(bernoulli(100, 0.7, random));
    BootstrapInterval.Estimate large = bootstrap.mean(bernoulli(2_000, 0.7, random));
    assertTrue(small.lower() <= small.estimate() && small.estimate() <= small.upper(), small.toString());
    assertTrue(large.upper() - large.lower() < small.upper() - small.lower(), small + " vs " + large);
    // Binomial standard error at n = 2000: 0.0102, so a 95% interval is about 0.04 wide.
    assertEquals(0.04, large.upper() - large.lower(), 0.01);
    assertTrue(large.lower() < 0.7 && large.upper() > 0.7, large.toString());
  }

  @Test
  void pairedIntervalExcludesZeroOnAPlantedDifference() {
    SplittableRandom random = new SplittableRandom(2);
    int n = 300;
    double[] baseline = bernoulli(n, 0.6, random);
    double[] better = baseline.clone();
    // The better strategy fixes 10% of the prompts the baseline got wrong, and breaks none.
    for (int i = 0; i < n; i++) {
      if (better[i] == 0 && random.nextDouble() < 0.25) {
        better[i] = 1;
      }
    }
    BootstrapInterval.Estimate difference = BootstrapInterval.defaults(3).pairedDifference(better, baseline);
    assertTrue(difference.entirelyAboveZero(), difference.toString());
    assertFalse(difference.containsZero());
    // Unpaired, the two means' intervals overlap: the pairing is what finds the difference.
    BootstrapInterval.Estimate a = BootstrapInterval.defaults(3).mean(better);
    BootstrapInterval.Estimate b = BootstrapInterval.defaults(3).mean(baseline);
    assertTrue(a.lower() < b.upper(), a + " " + b);
  }

  @Test
  void pairedIntervalContainsZeroWhenThereIsNoDifference() {
    SplittableRandom random = new SplittableRandom(4);
    int n = 300;
    double[] a = bernoulli(n, 0.6, random);
    double[] b = a.clone();
    // Swap outcomes on a few prompts in both directions, equally often.
    for (int i = 0; i < 40; i += 2) {
      b[i] = 1 - a[i];
      b[i + 1] = a[i + 1];
    }
    for (int i = 0; i < 40; i++) {
      a[i] = i % 2 == 0 ? 1 : 0;
      b[i] = i % 2 == 0 ? 0 : 1;
    }
    BootstrapInterval.Estimate difference = BootstrapInterval.defaults(5).pairedDifference(a, b);
    assertEquals(0, difference.estimate(), 1e-12);
    assertTrue(difference.containsZero(), difference.toString());
    assertFalse(difference.entirelyAboveZero() || difference.entirelyBelowZero());
  }

  @Test
  void sameSeedSameInterval() {
    double[] values = bernoulli(50, 0.5, new SplittableRandom(9));
    BootstrapInterval.Estimate first = new BootstrapInterval(500, 0.9, 11).mean(values);
    BootstrapInterval.Estimate second = new BootstrapInterval(500, 0.9, 11).mean(values);
    assertEquals(first, second);
    assertEquals(500, first.resamples());
    assertEquals(0.9, first.confidence());
    assertEquals(50, first.prompts());
  }

  @Test
  void refusesEmptyUnequalOrNonFiniteInput() {
    BootstrapInterval bootstrap = BootstrapInterval.defaults(1);
    assertThrows(IllegalArgumentException.class, () -> bootstrap.mean(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> bootstrap.pairedDifference(new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> bootstrap.mean(new double[]{1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> new BootstrapInterval(0, 0.95, 1));
    assertThrows(IllegalArgumentException.class, () -> new BootstrapInterval(100, 1.0, 1));
  }
}
