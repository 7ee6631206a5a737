package dev.languageranker.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagEvaluatorTest {
  private static final long WINDOW = 60_000;
  private final LagEvaluator evaluator = new LagEvaluator(Duration.ofMillis(WINDOW));

  /** Samples every 10 s over a full window, from {committed, end} pairs. */
  private static List<PartitionSample> history(long[]... offsets) {
    List<PartitionSample> samples = new ArrayList<>();
    for (int i = 0; i < offsets.length; i++) {
      samples.add(new PartitionSample(i * 10_000L, offsets[i][0], offsets[i][1]));
    }
    return samples;
  }

  private static long now(List<PartitionSample> samples) {
    return samples.get(samples.size() - 1).atMillis();
  }

  @Test
  void aGroupThatCaughtUpOnceInTheWindowIsOk() {
    List<PartitionSample> s = history(new long[]{10, 10}, new long[]{10, 20}, new long[]{10, 30},
        new long[]{10, 40}, new long[]{10, 50}, new long[]{10, 60}, new long[]{10, 70});

    assertEquals(LagStatus.OK, evaluator.evaluate(s, now(s), 0, true));
  }

  @Test
  void offsetsNotMovingWhileLagStaysIsStall() {
    List<PartitionSample> s = history(new long[]{10, 20}, new long[]{10, 25}, new long[]{10, 30},
        new long[]{10, 30}, new long[]{10, 30}, new long[]{10, 35}, new long[]{10, 40});

    assertEquals(LagStatus.STALL, evaluator.evaluate(s, now(s), 0, true));
  }

  @Test
  void consumingButNeverReducingTheLagIsWarn() {
    List<PartitionSample> s = history(new long[]{10, 20}, new long[]{20, 32}, new long[]{30, 44},
        new long[]{40, 56}, new long[]{50, 68}, new long[]{60, 80}, new long[]{70, 92});

    assertEquals(LagStatus.WARN, evaluator.evaluate(s, now(s), now(s), true));
  }

  @Test
  void aLagThatFallsAtLeastOnceIsOk() {
    List<PartitionSample> s = history(new long[]{10, 20}, new long[]{20, 32}, new long[]{40, 44},
        new long[]{45, 56}, new long[]{55, 68}, new long[]{65, 80}, new long[]{75, 92});

    assertEquals(LagStatus.OK, evaluator.evaluate(s, now(s), now(s), true));
  }

  @Test
  void noMemberAndNoCommitForLongerThanTheWindowIsStop() {
    List<PartitionSample> s = history(new long[]{10, 20}, new long[]{10, 20}, new long[]{10, 20},
        new long[]{10, 20}, new long[]{10, 20}, new long[]{10, 20}, new long[]{10, 20});
    long now = now(s) + 1;
    long lastCommitChange = now - WINDOW - 1;

    assertEquals(LagStatus.STOP, evaluator.evaluate(s, now, lastCommitChange, false));
  }

  @Test
  void aStoppedGroupThatIsCaughtUpIsOk() {
    List<PartitionSample> s = history(new long[]{20, 20}, new long[]{20, 20}, new long[]{20, 20});

    assertEquals(LagStatus.OK, evaluator.evaluate(s, 10 * WINDOW, 0, false));
  }

  @Test
  void aWindowTooShortToJudgeIsOkUnlessStopped() {
    List<PartitionSample> s = history(new long[]{10, 20}, new long[]{10, 30});

    assertEquals(LagStatus.OK, evaluator.evaluate(s, now(s), 0, true));
  }

  @Test
  void theGroupStatusIsTheWorstOfItsPartitions() {
    assertEquals(LagStatus.STALL, LagStatus.OK.worst(LagStatus.STALL).worst(LagStatus.WARN));
    assertEquals(LagStatus.STOP, LagStatus.STOP.worst(LagStatus.OK));
  }

  @Test
  void catchUpIsLagOverTheNetConsumeRateOrSaysWhyThereIsNone() {
    assertEquals(10.0, LagMonitor.catchUpSeconds(50, 10, 5));
    assertEquals(0.0, LagMonitor.catchUpSeconds(0, 1, 1));
    assertEquals(TopicLag.KEEPING_UP, LagMonitor.catchUpSeconds(2, 1.0, 1.01));
    assertEquals(TopicLag.FALLING_BEHIND, LagMonitor.catchUpSeconds(2, 1.0, 2.0));
  }
}
