package dev.languageranker.ranker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureEncoder;
import dev.languageranker.ranker.features.InvalidFeaturesException;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainingSetFileTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(FeatureDtype.class)
  void aShardReadsBackTheSamePromptsAndFeaturesAsTheInMemoryBuild(FeatureDtype dtype) throws IOException {
    SyntheticFeatures features = SyntheticFeatures.of(7, 5, 32, 9).withDtype(dtype);
    Path shard = dir.resolve("set.lrts");
    features.writeTo(shard);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet fromDisk = TrainingSetReader.read(shard, manager);
        TrainingSet inMemory = features.build(manager)) {
      assertEquals(inMemory.prompts().size(), fromDisk.prompts().size());
      assertEquals(32, fromDisk.dim());
      assertEquals(features.layer(), fromDisk.layer());
      assertEquals(LabelType.BINARY, fromDisk.labelType());
      for (int p = 0; p < 7; p++) {
        TrainingPrompt a = inMemory.prompts().get(p);
        TrainingPrompt b = fromDisk.prompts().get(p);
        assertEquals(a.requestId(), b.requestId());
        assertEquals(a.instructionRow(), b.instructionRow());
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(a.logProbMeans(), b.logProbMeans());
        assertArrayEquals(a.answerKeys(), b.answerKeys());
      }
      assertArrayEquals(inMemory.features().toFloatArray(), fromDisk.features().toFloatArray());
    }
  }

  @Test
  void aTruncatedShardIsRefused() throws IOException {
    Path shard = dir.resolve("cut.lrts");
    SyntheticFeatures.of(3, 4, 16, 1).writeTo(shard);
    byte[] all = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(all, all.length - 10));
    try (NDManager manager = NDManager.newBaseManager()) {
      IOException e = assertThrows(IOException.class, () -> TrainingSetReader.read(shard, manager));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void aFileThatIsNotAShardIsRefused() throws IOException {
    Path other = dir.resolve("other.bin");
    Files.write(other, new byte[100]);
    try (NDManager manager = NDManager.newBaseManager()) {
      IOException e = assertThrows(IOException.class, () -> TrainingSetReader.read(other, manager));
      assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }
  }

  @Test
  void aShardWithAnInfiniteFeatureIsRefusedNamingThePromptAndCandidate() throws IOException {
    Path shard = dir.resolve("inf.lrts");
    float[] vectors = new float[3 * 4];
    vectors[2 * 4 + 1] = Float.POSITIVE_INFINITY;
    try (TrainingSetWriter writer = new TrainingSetWriter(shard, FeatureDtype.FLOAT32, 4, 2, LabelType.BINARY)) {
      writer.add("bad-one", FeatureEncoder.encode(vectors, FeatureDtype.FLOAT32), new float[] {1, 0}, new float[2], null);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      InvalidFeaturesException e = assertThrows(InvalidFeaturesException.class, () -> TrainingSetReader.read(shard, manager));
      assertTrue(e.getMessage().contains("prompt bad-one, candidate 1"), e.getMessage());
    }
  }
}
