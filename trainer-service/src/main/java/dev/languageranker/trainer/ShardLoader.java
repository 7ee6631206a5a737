package dev.languageranker.trainer;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetReader;
import dev.languageranker.ranker.data.TrainingSetWriter;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a rankerId's shards as one {@link TrainingSet}. ranker-core reads one shard per set, so several shards are
 * first joined into one temporary shard, a shard at a time (decoded, re-encoded exactly in the stored dtype, since
 * bf16 and fp16 round-trip through float32), which bounds the heap by one shard; then that file is read as usual.
 */
final class ShardLoader {
  private ShardLoader() {}

  static TrainingSet load(List<Path> shards, FeatureDtype dtype, int layer, int dim, LabelType labelType, Path scratch,
      NDManager manager) throws IOException {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no shards to load");
    }
    if (shards.size() == 1) {
      return TrainingSetReader.read(shards.get(0), manager);
    }
    Path merged = Files.createTempFile(scratch, "merged-", ".lrts.tmp");
    try {
      try (TrainingSetWriter writer = new TrainingSetWriter(merged, dtype, dim, layer, labelType)) {
        for (Path shard : shards) {
          try (TrainingSet part = TrainingSetReader.read(shard, manager)) {
            float[] rows = part.features().toFloatArray();
            for (TrainingPrompt p : part.prompts()) {
              int from = (int) p.instructionRow() * dim;
              int length = (1 + p.candidateCount()) * dim;
              writer.add(p.requestId(), FeatureEncoder.encode(rows, from, length, dtype), p.labels(), p.logProbMeans(),
                  p.answerKeys());
            }
          }
        }
      }
      return TrainingSetReader.read(merged, manager);
    } finally {
      Files.deleteIfExists(merged);
    }
  }
}
