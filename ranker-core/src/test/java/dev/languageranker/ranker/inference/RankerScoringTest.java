package dev.languageranker.ranker.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.features.InvalidFeaturesException;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.support.TestRankers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RankerScoringTest {
  private static final int DIM = 64;
  private static final int LAYER = 5;

  @ParameterizedTest
  @EnumSource(RankerArchitecture.class)
  void batchedScoresOfMixedSizeGroupsEqualScoringEachGroupAlone(RankerArchitecture architecture) {
    // given groups of 1, 3 and 10 candidates (K=1 and a group that lost candidates included)
    SplittableRandom random = new SplittableRandom(3);
    List<FeatureGroup> groups = List.of(
        TestRankers.randomGroup(DIM, LAYER, 1, FeatureDtype.BFLOAT16, random),
        TestRankers.randomGroup(DIM, LAYER, 3, FeatureDtype.FLOAT32, random),
        TestRankers.randomGroup(DIM, LAYER, 10, FeatureDtype.BFLOAT16, random));
    try (Ranker ranker = TestRankers.untrained(architecture, DIM, LAYER, 11)) {
      // when scored one by one, then in one batch (whose padding lands on reused, dirty scratch memory)
      List<float[]> alones = new ArrayList<>();
      for (FeatureGroup group : groups) {
        alones.add(ranker.score(group));
      }
      List<float[]> batched = ranker.scoreBatch(groups);

      // then padding and masks change nothing: each group gets one finite score per candidate, as alone
      for (int g = 0; g < groups.size(); g++) {
        float[] alone = alones.get(g);
        assertEquals(groups.get(g).size(), batched.get(g).length);
        assertArrayEquals(alone, batched.get(g), 1e-4f, "group " + g);
        for (float s : alone) {
          assertTrue(Float.isFinite(s));
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aMultiHeadListwiseRankerAlsoIgnoresPadding() {
    SplittableRandom random = new SplittableRandom(4);
    List<FeatureGroup> groups = List.of(
        TestRankers.randomGroup(DIM, LAYER, 2, FeatureDtype.FLOAT32, random),
        TestRankers.randomGroup(DIM, LAYER, 7, FeatureDtype.FLOAT32, random));
    RankerConfig fourHeads = new RankerConfig(RankerArchitecture.LISTWISE, DIM, LAYER, 64, 2, 4, 128);
    try (Ranker ranker = TestRankers.untrained(fourHeads, 2)) {
      List<float[]> batched = ranker.scoreBatch(groups);
      for (int g = 0; g < groups.size(); g++) {
        assertArrayEquals(ranker.score(groups.get(g)), batched.get(g), 1e-4f);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = FeatureDtype.class, names = {"FLOAT32", "BFLOAT16", "FLOAT16"})
  void featuresSeenThroughViewsIntoLargerRecordsScoreLikeTheirOwnArrays(FeatureDtype dtype) {
    // given a group, and the same bytes at odd offsets inside larger arrays (as decoded Kafka records hold them)
    FeatureGroup own = TestRankers.randomGroup(DIM, LAYER, 5, dtype, new SplittableRandom(11));
    List<java.nio.ByteBuffer> responses = own.responses().stream().map(RankerScoringTest::embedded).toList();
    FeatureGroup views = new FeatureGroup(LAYER, DIM, dtype, embedded(own.instruction()), responses);
    try (Ranker ranker = TestRankers.untrained(RankerArchitecture.LISTWISE, DIM, LAYER, 3)) {
      assertArrayEquals(ranker.score(own), ranker.score(views), 0f);
      assertArrayEquals(ranker.scoreBatch(List.of(own, own)).get(1), ranker.scoreBatch(List.of(views, views)).get(1),
          0f);
    }
  }

  private static java.nio.ByteBuffer embedded(java.nio.ByteBuffer vector) {
    byte[] record = new byte[vector.remaining() + 37];
    java.util.Arrays.fill(record, (byte) 0x7F); // NaN-looking filler around the vector must never be read
    vector.duplicate().get(record, 13, vector.remaining());
    return java.nio.ByteBuffer.wrap(record, 13, vector.remaining()).slice();
  }

  @ParameterizedTest
  @EnumSource(RankerArchitecture.class)
  void onlyTheListwiseRankerLetsCandidatesInfluenceEachOther(RankerArchitecture architecture) {
    // given a group and the same group without its last candidate
    SplittableRandom random = new SplittableRandom(5);
    FeatureGroup full = TestRankers.randomGroup(DIM, LAYER, 4, FeatureDtype.FLOAT32, random);
    FeatureGroup shorter = new FeatureGroup(LAYER, DIM, FeatureDtype.FLOAT32, full.instruction(),
        full.responses().subList(0, 3));
    try (Ranker ranker = TestRankers.untrained(architecture, DIM, LAYER, 13)) {
      float[] withAll = Arrays.copyOf(ranker.score(full), 3);
      float[] without = ranker.score(shorter);
      // then pointwise scores are unchanged, listwise scores see the missing candidate
      boolean same = Arrays.equals(withAll, without) || maxDifference(withAll, without) < 1e-6f;
      assertEquals(architecture == RankerArchitecture.POINTWISE, same,
          "scores " + Arrays.toString(withAll) + " vs " + Arrays.toString(without));
    }
  }

  @ParameterizedTest
  @EnumSource(RankerArchitecture.class)
  void refusesFeaturesOfAnotherLayerOrDimension(RankerArchitecture architecture) {
    SplittableRandom random = new SplittableRandom(1);
    try (Ranker ranker = TestRankers.untrained(architecture, DIM, LAYER, 1)) {
      InvalidFeaturesException layer = assertThrows(InvalidFeaturesException.class,
          () -> ranker.score(TestRankers.randomGroup(DIM, LAYER + 1, 2, FeatureDtype.FLOAT32, random)));
      assertTrue(layer.getMessage().contains("layer " + (LAYER + 1)), layer.getMessage());
      InvalidFeaturesException dim = assertThrows(InvalidFeaturesException.class,
          () -> ranker.score(TestRankers.randomGroup(DIM * 2, LAYER, 2, FeatureDtype.FLOAT32, random)));
      assertTrue(dim.getMessage().contains("dim " + DIM * 2), dim.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(RankerArchitecture.class)
  void concurrentScoringFromManyThreadsGivesTheSameScoresAsOneThread(RankerArchitecture architecture) throws Exception {
    SplittableRandom random = new SplittableRandom(9);
    List<FeatureGroup> groups = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      groups.add(TestRankers.randomGroup(DIM, LAYER, 1 + i % 10, FeatureDtype.BFLOAT16, random));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (Ranker ranker = TestRankers.untrained(architecture, DIM, LAYER, 17)) {
      List<float[]> expected = ranker.scoreBatch(groups);
      List<Future<float[]>> futures = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (FeatureGroup group : groups) {
          futures.add(pool.submit(() -> ranker.score(group)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertArrayEquals(expected.get(i % groups.size()), futures.get(i).get(), 1e-4f);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
