package dev.languageranker.ranker.side;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SideFeaturesTest {
  private static final List<SideFeature> ALL = List.of(SideFeature.VOTE_SHARE, SideFeature.LOGPROB_Z,
      SideFeature.LENGTH_Z);

  @Test
  void voteShareCountsTheCandidatesSharingAKeyAndAMissingKeyIsItsOwnSingleton() {
    String[] keys = {"42", "7", "42", null, "42"};
    float[] shares = SideFeatures.voteShares(keys, 5);
    assertArrayEquals(new float[]{0.6f, 0.2f, 0.6f, 0.2f, 0.6f}, shares, 1e-6f);
    // Two candidates without a key do not vote together.
    assertArrayEquals(new float[]{0.5f, 0.5f}, SideFeatures.voteShares(new String[]{null, null}, 2), 1e-6f);
    assertArrayEquals(new float[]{1 / 3f, 1 / 3f, 1 / 3f}, SideFeatures.voteShares(null, 3), 1e-6f);
  }

  @Test
  void logProbAndLengthAreStandardizedWithinTheGroup() {
    CandidateSignals signals = new CandidateSignals(new String[]{"a", "b", "c"}, new float[]{-1f, -2f, -3f},
        new int[]{0, 0, 0});
    float[][] features = SideFeatures.compute(ALL, signals);
    float z = (float) Math.sqrt(1.5);
    assertArrayEquals(new float[]{1 / 3f, z, 0f}, features[0], 1e-5f);
    assertArrayEquals(new float[]{1 / 3f, 0f, 0f}, features[1], 1e-5f);
    assertArrayEquals(new float[]{1 / 3f, -z, 0f}, features[2], 1e-5f);
    float[][] lengths = SideFeatures.compute(List.of(SideFeature.LENGTH_Z),
        new CandidateSignals(null, new float[2], new int[]{9, 99}));
    assertEquals(1f, lengths[0][0] * -1, 1e-5f);
    assertEquals(1f, lengths[1][0], 1e-5f);
  }

  @Test
  void aSubsetComesInTheConfiguredOrder() {
    CandidateSignals signals = new CandidateSignals(new String[]{"x", "x"}, new float[]{-1f, -3f}, null);
    float[][] features = SideFeatures.compute(List.of(SideFeature.LOGPROB_Z, SideFeature.VOTE_SHARE), signals);
    assertArrayEquals(new float[]{1f, 1f}, features[0], 1e-6f);
    assertArrayEquals(new float[]{-1f, 1f}, features[1], 1e-6f);
  }

  @Test
  void unknownLengthsAndEqualValuesGiveZeros() {
    CandidateSignals unknown = new CandidateSignals(null, new float[]{-1f, -1f}, null);
    assertArrayEquals(new float[]{0.5f, 0f, 0f}, SideFeatures.compute(ALL, unknown)[0], 0f,
        "equal log-probs, unknown lengths");
    CandidateSignals oneUnknown = new CandidateSignals(null, new float[]{-1f, -2f}, new int[]{5, -1});
    assertEquals(0f, SideFeatures.compute(List.of(SideFeature.LENGTH_Z), oneUnknown)[0][0]);
    CandidateSignals single = new CandidateSignals(new String[]{"a"}, new float[]{-0.5f}, new int[]{3});
    assertArrayEquals(new float[]{1f, 0f, 0f}, SideFeatures.compute(ALL, single)[0], 0f);
  }

  @Test
  void signalsOfDifferentLengthsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CandidateSignals(new String[1], new float[2], null));
    assertThrows(IllegalArgumentException.class, () -> new CandidateSignals(null, new float[2], new int[3]));
    assertEquals(SideFeature.LOGPROB_Z, SideFeature.parse("logprob_z"));
    assertThrows(IllegalArgumentException.class, () -> SideFeature.parse("nope"));
  }
}
