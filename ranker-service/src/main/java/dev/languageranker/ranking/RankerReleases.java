package dev.languageranker.ranking;

import dev.languageranker.events.RankerArchitecture;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.ranker.bundle.BundleManifest;
import dev.languageranker.ranker.bundle.ModelBundle;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** Builds the {@link RankerRelease} event that publishes a model bundle on {@code lr.ranker-models}. */
public final class RankerReleases {
  private RankerReleases() {}

  public static RankerRelease of(ModelBundle bundle, String baseModelId, Long previousVersion, Instant publishedAt) {
    BundleManifest m = bundle.manifest();
    byte[] bytes = bundle.toBytes();
    Map<String, Double> metrics = m.holdoutMetrics() == null ? Map.of() : m.holdoutMetrics();
    Object examples = m.trainingData() == null ? null : m.trainingData().get("groups");
    return RankerRelease.newBuilder()
        .setRankerId(m.rankerId())
        .setVersion(m.version())
        .setArchitecture(RankerArchitecture.valueOf(m.architecture().name()))
        .setBaseModelId(baseModelId)
        .setFeatureLayer(m.featureLayer())
        .setFeatureDim(m.featureDim())
        .setProjectionDim(m.projectionDim())
        .setParameterCount(m.parameterCount())
        .setBundle(ByteBuffer.wrap(bytes))
        .setSha256(ReleaseLoader.sha256(bytes))
        .setMetrics(metrics)
        .setTrainingExamples(examples instanceof Number n ? n.intValue() : 0)
        .setPreviousVersion(previousVersion)
        .setRollbackOf(null)
        .setCreatedAt(Instant.parse(m.createdAt()))
        .setPublishedAt(publishedAt)
        .build();
  }

  /** The record that makes {@code target} (an older release) the head again, rolling back {@code current}. */
  public static RankerRelease rollback(RankerRelease target, RankerRelease current, Instant publishedAt) {
    return RankerRelease.newBuilder(target)
        .setPreviousVersion(current.getVersion())
        .setRollbackOf(current.getVersion())
        .setPublishedAt(publishedAt)
        .build();
  }
}
