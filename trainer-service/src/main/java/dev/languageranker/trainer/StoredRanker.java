package dev.languageranker.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code state.json} of one rankerId's training set holds: the feature shape every example must have, the shards
 * in order (oldest first) with the offset ranges they hold, the next offset to read per partition of the by-ranker
 * topic (everything before it is in a shard or was dead-lettered), and the trigger's bookkeeping. Jackson reads and
 * writes its public fields.
 */
final class StoredRanker {
  public String rankerId;
  public String baseModelId;
  public String task;
  public int layer;
  public int dim;
  public String dtype;
  public String labelType;
  /** The features' pooling, LAST or MEAN; absent in sets written before it was recorded (they are LAST). */
  public String pooling = "LAST";
  public List<Shard> shards = new ArrayList<>();
  public Map<Integer, Long> consumed = new TreeMap<>();
  public long nextShardId = 1;
  public long requestsSinceRun;
  public long lastRunAtMillis;
  public long totalRequests;

  /** One shard file: its requests, candidates and the offsets of the by-ranker topic it holds. */
  static final class Shard {
    public String file;
    public long id;
    public int requests;
    public long candidates;
    public List<Range> ranges = new ArrayList<>();
  }

  /** First and last offset of one partition held in a shard. */
  record Range(int partition, long from, long to) {}

  int requests() {
    return shards.stream().mapToInt(s -> s.requests).sum();
  }
}
