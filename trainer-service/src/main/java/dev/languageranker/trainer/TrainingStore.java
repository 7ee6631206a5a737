package dev.languageranker.trainer;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.languageranker.events.TrainingExample;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trainer instance's training sets on disk, one directory per rankerId, plus {@code partitions.json}: per partition
 * of the by-ranker topic, the offset before which every record was dealt with by this instance (stored in a shard or
 * dead-lettered). A partition this instance is assigned resumes there; one it never read starts at the beginning, so
 * a set is rebuilt from disk plus the topic.
 */
final class TrainingStore {
  private static final Logger log = LoggerFactory.getLogger(TrainingStore.class);
  private static final String PARTITIONS = "partitions.json";

  private final Path root;
  private final int shardRequests;
  private final int windowRequests;
  private final Map<String, RankerTrainingSet> sets = new ConcurrentHashMap<>();
  private final Map<Integer, Long> committed;
  private final Map<Integer, Long> position = new TreeMap<>();

  TrainingStore(Path root, int shardRequests, int windowRequests) throws IOException {
    if (shardRequests < 1 || windowRequests < 1) {
      throw new IllegalArgumentException("shard and window sizes must be positive");
    }
    this.root = root;
    this.shardRequests = shardRequests;
    this.windowRequests = windowRequests;
    Files.createDirectories(root);
    Path partitions = root.resolve(PARTITIONS);
    committed = Files.exists(partitions)
        ? new TreeMap<>(ShardFiles.JSON.readValue(partitions.toFile(), new TypeReference<Map<Integer, Long>>() {}))
        : new TreeMap<>();
    position.putAll(committed);
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        if (Files.exists(dir.resolve("state.json"))) {
          RankerTrainingSet set = RankerTrainingSet.open(dir);
          sets.put(set.rankerId(), set);
        }
      }
    }
    log.info("training store {}: {} rankers on disk, partition offsets {}", root, sets.size(), committed);
  }

  /** Where this instance resumes reading a partition, or empty to read it from the beginning. */
  synchronized Optional<Long> resumeOffset(int partition) {
    return Optional.ofNullable(committed.get(partition));
  }

  Optional<RankerTrainingSet> get(String rankerId) {
    return Optional.ofNullable(sets.get(rankerId));
  }

  /** The set of the example's rankerId, created with the example's shape when there is none yet. */
  RankerTrainingSet getOrCreate(TrainingExample first) throws IOException {
    RankerTrainingSet set = sets.get(first.getRankerId());
    if (set == null) {
      set = RankerTrainingSet
          .create(root.resolve("r-" + URLEncoder.encode(first.getRankerId(), StandardCharsets.UTF_8)), first);
      sets.put(first.getRankerId(), set);
    }
    return set;
  }

  Collection<RankerTrainingSet> all() {
    return sets.values();
  }

  /** Notes that every record of the partition before {@code nextOffset} has been handed to a set or dead-lettered. */
  synchronized void advance(int partition, long nextOffset) {
    position.put(partition, nextOffset);
  }

  /** Flushes the set when its open shard is full. */
  void flushIfFull(RankerTrainingSet set) throws IOException {
    if (set.openRequests() >= shardRequests) {
      set.flush(shardRequests, windowRequests);
    }
  }

  void flush(RankerTrainingSet set) throws IOException {
    set.flush(shardRequests, windowRequests);
  }

  /** Flushes every set, then commits the partitions' offsets: after this, a restart loses and repeats nothing. */
  void flushAll() throws IOException {
    for (RankerTrainingSet set : sets.values()) {
      set.flush(shardRequests, windowRequests);
    }
    synchronized (this) {
      if (!position.equals(committed)) {
        ShardFiles.writeJson(root.resolve(PARTITIONS), position);
        committed.clear();
        committed.putAll(position);
      }
    }
  }

  int windowRequests() {
    return windowRequests;
  }
}
