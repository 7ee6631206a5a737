package dev.languageranker.ranker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The paper's sizes: listwise 0.30M, pointwise 0.28M parameters at d = 4096, projection 64, one block. */
class ParameterCountTest {

  @Test
  void listwiseRankerAtLlamaWidthHasAtMost350kParameters() {
    long count = RankerNetwork.of(RankerConfig.defaults(RankerArchitecture.LISTWISE, 4096, 19)).parameterCount();
    System.out.println("listwise parameters at d=4096: " + count);
    assertTrue(count <= 350_000, "listwise has " + count);
    // projection (4096*64 + 64) + attention 4*(64*64 + 64) + two norms 4*64 + FFN (64*128 + 128 + 128*64 + 64) + scale and bias
    assertEquals(262_208 + 16_640 + 256 + 16_576 + 2, count);
  }

  @Test
  void pointwiseRankerAtLlamaWidthHasAtMost300kParameters() {
    long count = RankerNetwork.of(RankerConfig.defaults(RankerArchitecture.POINTWISE, 4096, 19)).parameterCount();
    System.out.println("pointwise parameters at d=4096: " + count);
    assertTrue(count <= 300_000, "pointwise has " + count);
    assertEquals(262_208 + 128 + 16_576 + 2, count);
  }

  @Test
  void initialisedWeightsHoldExactlyTheDeclaredParameters() {
    RankerNetwork network = RankerNetwork.of(RankerConfig.defaults(RankerArchitecture.LISTWISE, 4096, 19));
    try (NDManager manager = NDManager.newBaseManager();
        RankerWeights weights = RankerWeights.initialize(manager, network.parameters(), 1)) {
      assertEquals(network.parameterCount(), weights.parameterCount());
    }
  }
}
