package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.events.FeaturePooling;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk training set: shards with their offsets, the window, a restart, and loading shards as one set. */
class RankerTrainingSetTest {
  @TempDir Path temp;

  @Test
  void keepsTheNewestWindowInWholeShardsAndReopensExactlyAsCommitted() throws Exception {
    List<TrainingExample> examples = SyntheticTrainingExamples.of("w", SyntheticFeatures.of(250, 4, 16, 3), true);
    TrainingStore store = new TrainingStore(temp, 40, 100);
    for (int i = 0; i < 200; i++) {
      RankerTrainingSet set = store.getOrCreate(examples.get(i));
      set.add(examples.get(i), 0, i);
      store.advance(0, i + 1);
      store.flushIfFull(set);
    }
    store.flushAll();
    // Not flushed: lost in a crash, and so read again from the topic after it.
    store.get("w").orElseThrow().add(examples.get(200), 0, 200);

    TrainingStore reopened = new TrainingStore(temp, 40, 100);
    RankerTrainingSet set = reopened.get("w").orElseThrow();
    assertEquals(120, set.storedRequests(), "shards of 40 dropped whole while the rest hold the window of 100");
    assertEquals(200L, reopened.resumeOffset(0).orElseThrow());
    assertTrue(set.alreadyProcessed(0, 199));
    assertFalse(set.alreadyProcessed(0, 200));
    for (int i = 200; i < 250; i++) {
      set.add(examples.get(i), 0, i);
      reopened.advance(0, i + 1);
      reopened.flushIfFull(set);
    }
    reopened.flushAll();
    try (Stream<Path> files = Files.list(temp.resolve("r-w"))) {
      assertEquals(set.snapshot().files().size() + 1, files.count(), "only the committed shards and state.json remain");
    }

    RankerTrainingSet.Snapshot snapshot = set.snapshot();
    assertEquals(130, snapshot.requests());
    assertEquals(List.of(new StoredRanker.Range(0, 120, 249)), snapshot.ranges());
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet loaded = ShardLoader.load(snapshot.files(), snapshot.dir(), manager);
        TrainingSet expected = SyntheticFeatures.of(250, 4, 16, 3).build(manager)) {
      assertEquals(130, loaded.prompts().size());
      assertEquals("w-" + expected.prompts().get(120).requestId(), loaded.prompts().get(0).requestId());
      assertArrayEquals(expected.prompts().get(249).labels(), loaded.prompts().get(129).labels());
      float[] want = expected.features().get(120 * 5 + ":" + 250 * 5).toFloatArray();
      assertArrayEquals(want, loaded.features().toFloatArray(), "features survive sharding and joining exactly");
    }
  }

  @Test
  void aSetKeepsItsPoolingAndRefusesExamplesOfAnother() throws Exception {
    List<TrainingExample> examples = SyntheticTrainingExamples.of("p", SyntheticFeatures.of(3, 4, 16, 5), true);
    examples.forEach(e -> e.setPooling(FeaturePooling.MEAN));
    TrainingStore store = new TrainingStore(temp, 40, 100);
    RankerTrainingSet set = store.getOrCreate(examples.get(0));
    set.add(examples.get(0), 0, 0);
    store.advance(0, 1);
    store.flushAll();

    TrainingExample last = TrainingExample.newBuilder(examples.get(1)).setPooling(FeaturePooling.LAST).build();
    assertEquals(Optional.of("example has LAST-pooled features; ranker p's training set has MEAN-pooled ones"),
        set.problem(last));
    assertEquals(Optional.empty(), set.problem(examples.get(2)));
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet loaded = ShardLoader.load(set.snapshot().files(), set.snapshot().dir(), manager)) {
      assertEquals(dev.languageranker.ranker.features.FeaturePooling.MEAN, loaded.pooling(),
          "the shard records the pooling");
    }
    assertTrue(
        new TrainingStore(temp, 40, 100).get("p").orElseThrow().problem(last).orElseThrow().contains("MEAN-pooled"),
        "a reopened set still knows its pooling");
  }
}
