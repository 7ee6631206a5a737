package dev.languageranker.ranking;

import dev.languageranker.events.RankerArchitecture;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.side.CandidateSignals;
import java.util.List;
import java.util.Map;

/**
 * One loaded, validated ranker version. Scoring and closing are serialized, so a version retired while a stream
 * thread scores with it is closed only afterwards; a closed version answers null and the caller looks again.
 */
public final class LoadedRanker implements AutoCloseable {
  private final String rankerId;
  private final long version;
  private final RankerArchitecture architecture;
  private final int featureLayer;
  private final int featureDim;
  private final Map<String, Double> metrics;
  private final Ranker ranker;
  private boolean closed;

  public LoadedRanker(String rankerId, long version, RankerArchitecture architecture, int featureLayer, int featureDim,
      Map<String, Double> metrics, Ranker ranker) {
    this.rankerId = rankerId;
    this.version = version;
    this.architecture = architecture;
    this.featureLayer = featureLayer;
    this.featureDim = featureDim;
    this.metrics = Map.copyOf(metrics);
    this.ranker = ranker;
  }

  public String rankerId() {
    return rankerId;
  }

  public long version() {
    return version;
  }

  public RankerArchitecture architecture() {
    return architecture;
  }

  public int featureLayer() {
    return featureLayer;
  }

  public int featureDim() {
    return featureDim;
  }

  public Map<String, Double> metrics() {
    return metrics;
  }

  /** The response feature pooling this version reads; candidates of another pooling must not reach it. */
  public FeaturePooling pooling() {
    return ranker.pooling();
  }

  /** Whether scoring needs each group's candidate signals (answer keys, mean log-probs, token counts). */
  public boolean usesSideFeatures() {
    return ranker.usesSideFeatures();
  }

  /** Scores for each group, or null when this version was closed meanwhile. */
  public synchronized List<float[]> scoreBatch(List<FeatureGroup> groups) {
    return closed ? null : ranker.scoreBatch(groups);
  }

  /** Scores for each group with its signals (null for a version without side features), or null when closed. */
  public synchronized List<float[]> scoreBatch(List<FeatureGroup> groups, List<CandidateSignals> signals) {
    return closed ? null : ranker.scoreBatch(groups, signals);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      ranker.close();
    }
  }

  @Override
  public String toString() {
    return rankerId + "@" + version;
  }
}
