package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.GateReport;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.eval.BootstrapInterval;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The release gate decides on the paired interval, the hold-out size and finite numbers only. */
class ReleaseGateTest {
  private static final GateSettings DEFAULTS = new GateSettings(0.0, 0.95, 100, 2000);

  @Test
  void promotesWhenTheIntervalOfTheDifferenceLiesAboveTheThreshold() {
    GateReport report = gate(DEFAULTS).decide(scores(quarters(200, 3), quarters(200, 2)), null);
    assertTrue(report.getPassed(), report.getReason());
    assertEquals(0.25, report.getDifference(), 1e-9);
    assertTrue(report.getLower() > 0 && report.getUpper() >= report.getDifference());
    assertEquals(200, report.getN());
  }

  @Test
  void keepsTheChampionWhenTheIntervalReachesTheThreshold() {
    GateReport report = gate(new GateSettings(0.3, 0.95, 100, 2000))
        .decide(scores(quarters(200, 3), quarters(200, 2)), 3L);
    assertFalse(report.getPassed());
    assertEquals("ranker version 3", report.getChampionStrategy());
    assertTrue(report.getReason().contains("not above the minimum improvement"), report.getReason());
  }

  @Test
  void keepsTheChampionOnTooFewHeldOutRequestsEvenWithAClearWin() {
    GateReport report = gate(DEFAULTS).decide(scores(ones(99), new double[99]), null);
    assertFalse(report.getPassed());
    assertTrue(report.getReason().contains("only 99 held-out requests"), report.getReason());
  }

  @Test
  void failsClosedOnANotANumber() {
    double[] challenger = ones(200);
    challenger[17] = Double.NaN;
    GateReport report = gate(DEFAULTS).decide(scores(challenger, new double[200]), null);
    assertFalse(report.getPassed());
    assertTrue(report.getReason().contains("not a number"), report.getReason());
  }

  @Test
  void failsClosedWithoutHeldOutRequests() {
    assertFalse(gate(DEFAULTS).decide(scores(new double[0], new double[0]), null).getPassed());
  }

  @Test
  void ownershipFollowsTheProducersPartitionOfTheRankerId() {
    for (String id : new String[]{"math", "fc", "tenant-42", "ü"}) {
      assertEquals(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), 6),
          TrainerLoop.partitionOf(id, 6));
    }
  }

  private static ReleaseGate gate(GateSettings settings) {
    return new ReleaseGate(settings, new BootstrapInterval(settings.resamples(), settings.confidence(), 1));
  }

  private static HoldoutScores scores(double[] challenger, double[] champion) {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put(HoldoutScores.CHALLENGER, challenger);
    m.put(HoldoutScores.CHAMPION, champion);
    return new HoldoutScores(LabelType.BINARY, m, FallbackChoice.MAJORITY_VOTE);
  }

  /** n outcomes, correct when i % 4 < correctOfFour. */
  private static double[] quarters(int n, int correctOfFour) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i % 4 < correctOfFour ? 1 : 0;
    }
    return v;
  }

  private static double[] ones(int n) {
    double[] v = new double[n];
    Arrays.fill(v, 1);
    return v;
  }
}
