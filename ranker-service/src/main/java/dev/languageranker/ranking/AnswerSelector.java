package dev.languageranker.ranking;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.RankerArchitecture;
import dev.languageranker.events.Strategy;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.side.CandidateSignals;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides groups: each with the ranker version its prompt names (pinned, else active), scoring all groups of one
 * version in a single batched forward pass; groups without a usable version fall back. A version reads features of one
 * layer, dim and pooling: a group whose features differ is refused by it (counted) and falls back. A version with side
 * features gets each group's signals computed exactly as in training: answer keys by the task's extractor, mean
 * log-probs and token counts as the generator reported them.
 */
final class AnswerSelector {
  private final RankerRegistry registry;
  private final FallbackSelector fallback;
  private final AnswerKeys answerKeys;
  private final RankerMetrics metrics;

  AnswerSelector(RankerRegistry registry, FallbackSelector fallback, AnswerKeys answerKeys, RankerMetrics metrics) {
    this.registry = registry;
    this.fallback = fallback;
    this.answerKeys = answerKeys;
    this.metrics = metrics;
  }

  /** The ranker that should decide a group of this request, if this instance holds it. */
  Optional<LoadedRanker> rankerFor(Candidate c) {
    if (c.getRankerVersion() != null) {
      Optional<LoadedRanker> pinned = registry.version(c.getRankerId(), c.getRankerVersion());
      if (pinned.isEmpty()) {
        metrics.pinnedVersionMissing(c.getRankerId());
      }
      return pinned;
    }
    return registry.active(c.getRankerId());
  }

  /** One selection per group, in order; every group is non-empty and sorted by index. */
  List<Selection> select(List<List<Candidate>> groups) {
    Selection[] out = new Selection[groups.size()];
    Map<LoadedRanker, List<Integer>> byRanker = new IdentityHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      Candidate first = groups.get(g).get(0);
      Optional<LoadedRanker> ranker = rankerFor(first);
      List<Candidate> group = groups.get(g);
      Optional<String> mismatch = ranker.flatMap(r -> mismatch(r, group));
      if (ranker.isPresent() && mismatch.isEmpty()) {
        byRanker.computeIfAbsent(ranker.get(), r -> new ArrayList<>()).add(g);
      } else {
        mismatch.ifPresent(what -> metrics.featuresRefused(ranker.get().rankerId(), what));
        out[g] = fallback.select(group);
      }
    }
    for (Map.Entry<LoadedRanker, List<Integer>> entry : byRanker.entrySet()) {
      LoadedRanker ranker = entry.getKey();
      List<FeatureGroup> features = new ArrayList<>();
      List<CandidateSignals> signals = ranker.usesSideFeatures() ? new ArrayList<>() : null;
      entry.getValue().forEach(g -> {
        features.add(featureGroup(groups.get(g)));
        if (signals != null) {
          signals.add(signals(groups.get(g)));
        }
      });
      long started = System.nanoTime();
      List<float[]> scores = ranker.scoreBatch(features, signals);
      metrics.batchScored(Duration.ofNanos(System.nanoTime() - started));
      for (int i = 0; i < entry.getValue().size(); i++) {
        int g = entry.getValue().get(i);
        out[g] = scores == null ? fallback.select(groups.get(g)) : selection(groups.get(g), scores.get(i), ranker);
      }
    }
    return List.of(out);
  }

  private static Selection selection(List<Candidate> group, float[] scores, LoadedRanker ranker) {
    double[] s = new double[scores.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = scores[i];
    }
    Strategy strategy = ranker.architecture() == RankerArchitecture.POINTWISE
        ? Strategy.POINTWISE_RANKER : Strategy.LISTWISE_RANKER;
    return new Selection(group.get(argmax(s, group)).getIndex(), s, strategy, ranker.version());
  }

  /** Highest ranker score; ties broken by higher mean log-prob, then lower index. */
  static int argmax(double[] scores, List<Candidate> group) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]
          || (scores[i] == scores[best] && group.get(i).getLogProbMean() > group.get(best).getLogProbMean())) {
        best = i;
      }
    }
    return best;
  }

  /** Why the ranker must not score this group's features (layer, dim or pooling differ), or empty when it may. */
  static Optional<String> mismatch(LoadedRanker ranker, List<Candidate> group) {
    for (Candidate c : group) {
      var features = c.getFeatures();
      if (features.getDim() != ranker.featureDim()) {
        return Optional.of("dim");
      }
      if (features.getLayer() != ranker.featureLayer()) {
        return Optional.of("layer");
      }
      if (pooling(features.getPooling()) != ranker.pooling()) {
        return Optional.of("pooling");
      }
    }
    return Optional.empty();
  }

  static FeaturePooling pooling(dev.languageranker.events.FeaturePooling wire) {
    return wire == dev.languageranker.events.FeaturePooling.MEAN ? FeaturePooling.MEAN : FeaturePooling.LAST;
  }

  /** What the side features are computed from, per candidate in group order, as the trainer's data carries it. */
  CandidateSignals signals(List<Candidate> group) {
    String[] keys = new String[group.size()];
    float[] logProbs = new float[group.size()];
    int[] tokens = new int[group.size()];
    for (int i = 0; i < group.size(); i++) {
      Candidate c = group.get(i);
      keys[i] = answerKeys.keyOf(c.getTask(), c.getText()).orElse(null);
      logProbs[i] = (float) c.getLogProbMean();
      tokens[i] = c.getTokenCount();
    }
    return new CandidateSignals(keys, logProbs, tokens);
  }

  /** The group's features, as views of the candidates' own bytes; the instruction is the first candidate's. */
  static FeatureGroup featureGroup(List<Candidate> group) {
    var first = group.get(0).getFeatures();
    List<ByteBuffer> responses = new ArrayList<>(group.size());
    for (Candidate c : group) {
      responses.add(c.getFeatures().getResponse());
    }
    return new FeatureGroup(first.getLayer(), first.getDim(), dtype(first.getDtype()), first.getInstruction(),
        responses);
  }

  static FeatureDtype dtype(dev.languageranker.events.FeatureDtype wire) {
    return switch (wire) {
      case FLOAT32 -> FeatureDtype.FLOAT32;
      case BFLOAT16 -> FeatureDtype.BFLOAT16;
      case FLOAT16 -> FeatureDtype.FLOAT16;
      default -> throw new IllegalArgumentException("unknown feature dtype " + wire);
    };
  }
}
