package dev.languageranker.ranker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureEncoder;
import dev.languageranker.ranker.features.FeaturePooling;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
        assertArrayEquals(a.tokenCounts(), b.tokenCounts());
      }
      assertEquals(FeaturePooling.LAST, fromDisk.pooling());
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
      writer.add("bad-one", FeatureEncoder.encode(vectors, FeatureDtype.FLOAT32), new float[]{1, 0}, new float[2],
          null);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      InvalidFeaturesException e = assertThrows(InvalidFeaturesException.class,
          () -> TrainingSetReader.read(shard, manager));
      assertTrue(e.getMessage().contains("prompt bad-one, candidate 1"), e.getMessage());
    }
  }

  @Test
  void tokenCountsAndPoolingRoundTripAndUnknownCountsReadAsNull() throws IOException {
    Path shard = dir.resolve("v2.lrts");
    float[] vectors = new float[3 * 4];
    try (TrainingSetWriter writer = new TrainingSetWriter(shard, FeatureDtype.FLOAT32, 4, 2, LabelType.BINARY,
        FeaturePooling.MEAN)) {
      writer.add("with-lengths", FeatureEncoder.encode(vectors, FeatureDtype.FLOAT32), new float[]{1, 0}, new float[2],
          null, new int[]{12, 40});
      writer.add("without", FeatureEncoder.encode(vectors, FeatureDtype.FLOAT32), new float[]{1, 0}, new float[2],
          null);
    }
    try (NDManager manager = NDManager.newBaseManager(); TrainingSet set = TrainingSetReader.read(shard, manager)) {
      assertEquals(FeaturePooling.MEAN, set.pooling());
      assertArrayEquals(new int[]{12, 40}, set.prompts().get(0).tokenCounts());
      assertEquals(null, set.prompts().get(1).tokenCounts());
    }
  }

  @Test
  void aVersionOneShardStillReadsWithLastPoolingAndUnknownLengths() throws IOException {
    // Version 1 as ranker-core wrote it before token counts: header, 3 float32 rows of dim 2, metadata.
    ByteBuffer metadata = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    byte[] id = "old".getBytes(StandardCharsets.UTF_8);
    metadata.putInt(id.length).put(id).putInt(2).putFloat(1f).putFloat(0f).putFloat(-0.5f).putFloat(-1.5f).putInt(1)
        .put((byte) '7').putInt(-1);
    metadata.flip();
    int metadataLength = metadata.remaining();
    ByteBuffer file = ByteBuffer.allocate(64 + 3 * 2 * 4 + metadataLength).order(ByteOrder.LITTLE_ENDIAN);
    file.putInt(0x5354524c).putInt(1).putInt(FeatureDtype.FLOAT32.code()).putInt(2).putInt(3).putInt(0).putInt(1)
        .putInt(0)
        .putLong(3).putLong(64).putLong(64 + 24).putLong(metadataLength);
    for (int i = 0; i < 6; i++) {
      file.putFloat(i);
    }
    file.put(metadata);
    Path shard = dir.resolve("v1.lrts");
    Files.write(shard, file.array());
    try (NDManager manager = NDManager.newBaseManager(); TrainingSet set = TrainingSetReader.read(shard, manager)) {
      TrainingPrompt prompt = set.prompts().get(0);
      assertEquals(FeaturePooling.LAST, set.pooling());
      assertEquals(null, prompt.tokenCounts());
      assertArrayEquals(new String[]{"7", null}, prompt.answerKeys());
      assertArrayEquals(new float[]{-0.5f, -1.5f}, prompt.logProbMeans());
      assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, set.features().toFloatArray());
    }
  }
}
