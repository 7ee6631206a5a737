package dev.languageranker.trainer;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetBuilder;
import dev.languageranker.ranker.data.TrainingSetReader;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a rankerId's shards as one {@link TrainingSet}. One shard is read directly; several are read one at a time
 * and their decoded rows joined with ranker-core's {@link TrainingSetBuilder}, since ranker-core reads one shard per
 * set (a multi-shard reader there would save the copy).
 */
final class ShardLoader {
  private ShardLoader() {}

  static TrainingSet load(List<Path> shards, int layer, int dim, LabelType labelType, NDManager manager) throws IOException {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no shards to load");
    }
    if (shards.size() == 1) {
      return TrainingSetReader.read(shards.get(0), manager);
    }
    TrainingSetBuilder builder = new TrainingSetBuilder(layer, dim, FeatureDtype.FLOAT32, labelType);
    int rowBytes = dim * Float.BYTES;
    for (Path shard : shards) {
      try (TrainingSet part = TrainingSetReader.read(shard, manager)) {
        float[] all = part.features().toFloatArray();
        ByteBuffer bytes = ByteBuffer.allocate(all.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(all);
        for (TrainingPrompt p : part.prompts()) {
          int first = (int) p.instructionRow();
          ByteBuffer instruction = bytes.duplicate().position(first * rowBytes).limit((first + 1) * rowBytes).slice();
          List<ByteBuffer> responses = new ArrayList<>(p.candidateCount());
          for (int k = 0; k < p.candidateCount(); k++) {
            int row = (int) p.responseRow(k);
            responses.add(bytes.duplicate().position(row * rowBytes).limit((row + 1) * rowBytes).slice());
          }
          builder.add(p.requestId(), new FeatureGroup(layer, dim, FeatureDtype.FLOAT32, instruction, responses),
              p.labels(), p.logProbMeans(), p.answerKeys());
        }
      }
    }
    return builder.build(manager);
  }
}
