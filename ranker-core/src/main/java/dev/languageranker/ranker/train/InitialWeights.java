package dev.languageranker.ranker.train;

import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.side.SideFeatureScaling;
import java.util.Optional;

/**
 * Trained weights a run starts from instead of fresh seeded ones (a warm start from the champion). They read raw
 * features, as every trained ranker does; the trainer re-expresses them for its standardized features and keeps their
 * side-feature scaling, so the first step scores exactly as the champion does. The weights stay the caller's: the
 * trainer copies them.
 */
public record InitialWeights(RankerConfig config, RankerWeights weights, FeaturePooling pooling,
    SideFeatureScaling sideScaling) {

  /** The weights of a trained (e.g. loaded) ranker. */
  public static InitialWeights of(Ranker ranker) {
    return new InitialWeights(ranker.config(), ranker.weights(), ranker.pooling(), ranker.sideScaling());
  }

  /**
   * Why a run that trains a ranker of {@code challenger} on features of {@code challengerPooling} cannot start from
   * these weights (architecture, feature dim or layer, layer sizes, side features, hidden states or pooling differ), or
   * empty when it can.
   */
  public Optional<String> refusal(RankerConfig challenger, FeaturePooling challengerPooling) {
    StringBuilder why = new StringBuilder();
    differs(why, "architecture", config.architecture(), challenger.architecture());
    differs(why, "feature dim", config.featureDim(), challenger.featureDim());
    differs(why, "feature layer", config.featureLayer(), challenger.featureLayer());
    differs(why, "projection dim", config.projectionDim(), challenger.projectionDim());
    differs(why, "blocks", config.blocks(), challenger.blocks());
    differs(why, "heads", config.heads(), challenger.heads());
    differs(why, "hidden dim", config.hiddenDim(), challenger.hiddenDim());
    differs(why, "side features", config.sideFeatures(), challenger.sideFeatures());
    differs(why, "hidden states", config.hiddenStates(), challenger.hiddenStates());
    differs(why, "pooling", pooling, challengerPooling);
    return why.isEmpty() ? Optional.empty() : Optional.of(why.toString());
  }

  private static void differs(StringBuilder why, String what, Object initial, Object challenger) {
    if (!initial.equals(challenger)) {
      why.append(why.isEmpty() ? "" : "; ").append(what).append(": starting weights ").append(initial)
          .append(", challenger ").append(challenger);
    }
  }
}
