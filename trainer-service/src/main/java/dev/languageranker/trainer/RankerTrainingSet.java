package dev.languageranker.trainer;

import dev.languageranker.events.Features;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingSetWriter;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.schemas.FeatureChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One rankerId's durable training set: {@code .lrts} shards in a directory with {@code state.json}. Examples are
 * appended to an open shard held in memory (at most {@code trainer.shard.requests} of them) and written out on
 * {@link #flush}; each flush writes the open shard as a new file and then commits {@code state.json}, which names
 * the shard files and the next offset per partition, so after a crash the set is exactly what the last state says
 * and reading resumes at its offsets: nothing counted twice, nothing lost. The newest window of requests is kept;
 * older shards are dropped whole.
 */
final class RankerTrainingSet {
  private static final String STATE = "state.json";

  private final Path dir;
  private final StoredRanker state;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<TrainingExample> open = new ArrayList<>();
  private final Map<Integer, long[]> openRanges = new TreeMap<>();
  private final Map<Integer, Long> processed;
  private StoredRanker.Shard openShard;
  private volatile long requestsSinceRun;
  private boolean dirty;

  private RankerTrainingSet(Path dir, StoredRanker state) {
    this.dir = dir;
    this.state = state;
    this.processed = new TreeMap<>(state.consumed);
    this.requestsSinceRun = state.requestsSinceRun;
  }

  /** A new, empty set whose shape is that of {@code first}. */
  static RankerTrainingSet create(Path dir, TrainingExample first) throws IOException {
    Files.createDirectories(dir);
    StoredRanker s = new StoredRanker();
    s.rankerId = first.getRankerId();
    s.baseModelId = first.getBaseModelId();
    s.task = first.getTask().name();
    s.layer = first.getLayer();
    s.dim = first.getDim();
    s.dtype = first.getDtype().name();
    s.labelType = first.getLabelType().name();
    s.pooling = first.getPooling().name();
    s.lastRunAtMillis = System.currentTimeMillis();
    RankerTrainingSet set = new RankerTrainingSet(dir, s);
    set.writeState();
    return set;
  }

  /** The set as its last committed state describes it; shard files that state does not name are leftovers of a crash. */
  static RankerTrainingSet open(Path dir) throws IOException {
    StoredRanker s = ShardFiles.JSON.readValue(dir.resolve(STATE).toFile(), StoredRanker.class);
    Set<String> named = new HashSet<>();
    s.shards.forEach(shard -> named.add(shard.file));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals(STATE) && !named.contains(name)) {
          Files.delete(f);
        }
      }
    }
    for (String file : named) {
      if (!Files.exists(dir.resolve(file))) {
        throw new IOException(dir + ": state names shard " + file + ", which is missing");
      }
    }
    return new RankerTrainingSet(dir, s);
  }

  String rankerId() {
    return state.rankerId;
  }

  ReentrantLock lock() {
    return lock;
  }

  /** True when the record at this offset is already in the set (or was dead-lettered) and must be skipped. */
  boolean alreadyProcessed(int partition, long offset) {
    return offset < processed.getOrDefault(partition, 0L);
  }

  /** Why the example cannot join this set (shape, base model, label type, sizes, NaN), or empty when it can. */
  Optional<String> problem(TrainingExample e) {
    if (!e.getBaseModelId().equals(state.baseModelId)) {
      return Optional.of("example of base model " + e.getBaseModelId() + ", ranker " + state.rankerId + " trains on "
          + state.baseModelId);
    }
    if (e.getDim() != state.dim || e.getLayer() != state.layer || !e.getDtype().name().equals(state.dtype)) {
      return Optional.of("example has dim " + e.getDim() + ", layer " + e.getLayer() + ", " + e.getDtype() + "; ranker "
          + state.rankerId + "'s training set has dim " + state.dim + ", layer " + state.layer + ", " + state.dtype);
    }
    if (!e.getPooling().name().equals(state.pooling)) {
      return Optional.of("example has " + e.getPooling() + "-pooled features; ranker " + state.rankerId
          + "'s training set has " + state.pooling + "-pooled ones");
    }
    if (!e.getLabelType().name().equals(state.labelType)) {
      return Optional.of("example has " + e.getLabelType() + " labels; ranker " + state.rankerId
          + "'s training set has " + state.labelType);
    }
    return contentProblem(e);
  }

  /** Why an example is unusable on its own (no candidates, sizes, NaN labels or features), or empty when it is usable. */
  static Optional<String> contentProblem(TrainingExample e) {
    if (e.getCandidates().isEmpty()) {
      return Optional.of("example has no candidates");
    }
    for (LabeledCandidate c : e.getCandidates()) {
      if (!Double.isFinite(c.getLabel()) || !Double.isFinite(c.getLogProbMean())) {
        return Optional.of("candidate " + c.getIndex() + " has a non-finite label or mean log-prob");
      }
      Optional<String> features = FeatureChecks.problem(new Features(e.getLayer(), 0, e.getDim(), e.getDtype(),
          e.getInstruction(), c.getResponse(), e.getPooling()));
      if (features.isPresent()) {
        return features.map(problem -> "candidate " + c.getIndex() + ": " + problem);
      }
    }
    return Optional.empty();
  }

  /** Appends an example read at this offset; call {@link #flush} to make it durable. */
  void add(TrainingExample e, int partition, long offset) {
    lock.lock();
    try {
      open.add(e);
      openRanges.computeIfAbsent(partition, p -> new long[]{offset, offset})[1] = offset;
      processed.put(partition, offset + 1);
      requestsSinceRun++;
      dirty = true;
    } finally {
      lock.unlock();
    }
  }

  /** Records that the record at this offset was dealt with (dead-lettered) without joining the set. */
  void skip(int partition, long offset) {
    processed.put(partition, offset + 1);
    dirty = true;
  }

  int openRequests() {
    return open.size();
  }

  long requestsSinceRun() {
    return requestsSinceRun;
  }

  long lastRunAtMillis() {
    return state.lastRunAtMillis;
  }

  /** Requests in the durable set (closed and open shards as last flushed). */
  int storedRequests() {
    return state.requests();
  }

  /**
   * Writes the open shard and commits the state: its shards, the next offsets and the trigger counters. A full open
   * shard is closed (the next example starts a new one); then the oldest shards are dropped while the rest still
   * hold {@code windowRequests}.
   */
  void flush(int shardRequests, int windowRequests) throws IOException {
    lock.lock();
    try {
      if (!dirty) {
        return;
      }
      List<String> obsolete = new ArrayList<>();
      if (!open.isEmpty()) {
        StoredRanker.Shard shard = new StoredRanker.Shard();
        shard.id = openShard == null ? state.nextShardId++ : openShard.id;
        shard.file = String.format("shard-%08d-%d.lrts", shard.id, open.size());
        shard.requests = open.size();
        shard.candidates = open.stream().mapToLong(x -> x.getCandidates().size()).sum();
        openRanges.forEach((p, r) -> shard.ranges.add(new StoredRanker.Range(p, r[0], r[1])));
        writeShard(dir.resolve(shard.file));
        if (openShard != null) {
          state.shards.set(state.shards.indexOf(openShard), shard);
          obsolete.add(openShard.file);
        } else {
          state.shards.add(shard);
        }
        openShard = shard;
        if (open.size() >= shardRequests) {
          open.clear();
          openRanges.clear();
          openShard = null;
        }
      }
      while (state.shards.size() > 1 && state.requests() - state.shards.get(0).requests >= windowRequests) {
        StoredRanker.Shard dropped = state.shards.remove(0);
        if (dropped == openShard) {
          openShard = null;
          open.clear();
          openRanges.clear();
        }
        obsolete.add(dropped.file);
      }
      state.consumed = new TreeMap<>(processed);
      state.requestsSinceRun = requestsSinceRun;
      state.totalRequests = state.requests();
      writeState();
      for (String file : obsolete) {
        Files.deleteIfExists(dir.resolve(file));
      }
      dirty = false;
    } finally {
      lock.unlock();
    }
  }

  /** The committed shards (call under {@link #lock()} with everything flushed), oldest first. */
  Snapshot snapshot() {
    List<Path> files = new ArrayList<>();
    List<StoredRanker.Range> ranges = new ArrayList<>();
    int requests = 0;
    long candidates = 0;
    for (StoredRanker.Shard s : state.shards) {
      files.add(dir.resolve(s.file));
      ranges.addAll(s.ranges);
      requests += s.requests;
      candidates += s.candidates;
    }
    return new Snapshot(dir, state.rankerId, state.baseModelId, state.layer, state.dim,
        FeatureDtype.valueOf(state.dtype),
        LabelType.valueOf(state.labelType), List.copyOf(files), merge(ranges), requests, candidates);
  }

  /** Resets the trigger: the run about to start takes {@code requests} of the new requests. */
  void runStarted(long requests, long nowMillis) throws IOException {
    lock.lock();
    try {
      requestsSinceRun = Math.max(0, requestsSinceRun - requests);
      state.requestsSinceRun = Math.max(0, state.requestsSinceRun - requests);
      state.lastRunAtMillis = nowMillis;
      writeState();
    } finally {
      lock.unlock();
    }
  }

  /** Gives back the requests of a run that failed, so the trigger fires again once the retry backoff passed. */
  void runFailed(long requests) {
    lock.lock();
    try {
      requestsSinceRun += requests;
      state.requestsSinceRun += requests;
    } finally {
      lock.unlock();
    }
  }

  /** The shards' files and what they hold, for one training run. */
  record Snapshot(Path dir, String rankerId, String baseModelId, int layer, int dim, FeatureDtype dtype,
      LabelType labelType,
      List<Path> files, List<StoredRanker.Range> ranges, int requests, long candidates) {}

  /** Adjacent or overlapping ranges of one partition joined, ordered by partition and offset. */
  static List<StoredRanker.Range> merge(List<StoredRanker.Range> ranges) {
    List<StoredRanker.Range> sorted = new ArrayList<>(ranges);
    sorted.sort(
        java.util.Comparator.comparingInt(StoredRanker.Range::partition).thenComparingLong(StoredRanker.Range::from));
    List<StoredRanker.Range> out = new ArrayList<>();
    for (StoredRanker.Range r : sorted) {
      StoredRanker.Range last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.partition() == r.partition() && r.from() <= last.to() + 1) {
        out.set(out.size() - 1, new StoredRanker.Range(r.partition(), last.from(), Math.max(last.to(), r.to())));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private void writeShard(Path target) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    FeatureDtype dtype = FeatureDtype.valueOf(state.dtype);
    try (TrainingSetWriter writer = new TrainingSetWriter(temp, dtype, state.dim, state.layer,
        LabelType.valueOf(state.labelType),
        FeaturePooling.valueOf(state.pooling))) {
      for (TrainingExample e : open) {
        List<LabeledCandidate> cs = e.getCandidates();
        int n = cs.size();
        ByteBuffer vectors = ByteBuffer.allocate((1 + n) * state.dim * dtype.bytesPerElement());
        vectors.put(e.getInstruction().duplicate());
        float[] labels = new float[n];
        float[] logProbs = new float[n];
        String[] keys = new String[n];
        int[] tokenCounts = new int[n];
        for (int k = 0; k < n; k++) {
          LabeledCandidate c = cs.get(k);
          vectors.put(c.getResponse().duplicate());
          labels[k] = (float) c.getLabel();
          logProbs[k] = (float) c.getLogProbMean();
          keys[k] = c.getAnswerKey();
          tokenCounts[k] = c.getTokenCount() > 0 ? c.getTokenCount() : -1; // 0: written before the field existed
        }
        writer.add(e.getRequestId(), vectors.array(), labels, logProbs, keys, tokenCounts);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    ShardFiles.commit(temp, target);
  }

  private void writeState() throws IOException {
    ShardFiles.writeJson(dir.resolve(STATE), state);
  }
}
