package dev.languageranker.ranker.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.side.SideFeatureScaling;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A ranker as one file: a zip with manifest.json and weights.safetensors. The bytes are what the
 * trainer publishes in RankerRelease.bundle; {@link BundleLoader} reads them back.
 */
public record ModelBundle(BundleManifest manifest, byte[] weights) {

  static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** Bundles a trained ranker with its configuration, data summary and held-out metrics. */
  public static ModelBundle of(TrainingResult result, String rankerId, long version, Instant createdAt,
      Map<String, Object> extraDataSummary) {
    Ranker ranker = result.ranker();
    RankerConfig config = ranker.config();
    TrainingConfig training = result.config();
    Map<String, Object> hyperparameters = new LinkedHashMap<>();
    hyperparameters.put("loss", training.loss() == null ? "default" : training.loss().name());
    hyperparameters.put("optimizer", training.optimizer().name());
    hyperparameters.put("learningRate", training.learningRate());
    hyperparameters.put("momentum", training.momentum());
    hyperparameters.put("weightDecay", training.weightDecay());
    hyperparameters.put("schedule", training.schedule().name());
    hyperparameters.put("batchSize", training.batchSize());
    hyperparameters.put("epochs", training.epochs());
    hyperparameters.put("groupSize", training.groupSize());
    hyperparameters.put("groupsPerPrompt", training.groupsPerPrompt());
    hyperparameters.put("holdoutFraction", training.holdoutFraction());
    hyperparameters.put("seed", training.seed());
    hyperparameters.put("validationFraction", training.validationFraction());
    hyperparameters.put("patience", training.patience());
    hyperparameters.put("standardize", training.standardize());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("trainingPrompts", result.trainingPrompts());
    data.put("holdoutPrompts", result.holdoutPrompts());
    data.put("trainingGroups", result.trainingGroups());
    data.put("droppedGroups", result.droppedGroups());
    data.put("steps", result.steps());
    data.put("finalLoss", result.finalLoss());
    data.put("epochsRun", result.epochsRun());
    data.put("bestEpoch", result.bestEpoch());
    data.put("validationPrompts", result.validationPrompts());
    if (!Double.isNaN(result.validationAccuracy())) {
      data.put("validationAccuracy", result.validationAccuracy());
    }
    // Standardization is folded into the projection: the weights read raw features.
    data.put("featureStandardization",
        training.standardize() ? "per-dimension z-score with training statistics, folded into the projection" : "none");
    data.putAll(extraDataSummary);
    return of(config, ranker.weights(), rankerId, version, hyperparameters, data, result.holdout().metrics(), createdAt,
        ranker.pooling(), ranker.usesSideFeatures() ? ranker.sideScaling() : null);
  }

  /** Bundles any weights of the given shape, e.g. a ranker trained elsewhere or a benchmark's untrained one. */
  public static ModelBundle of(RankerConfig config, RankerWeights rankerWeights, String rankerId, long version,
      Map<String, Object> hyperparameters, Map<String, Object> trainingData, Map<String, Double> holdoutMetrics,
      Instant createdAt) {
    return of(config, rankerWeights, rankerId, version, hyperparameters, trainingData, holdoutMetrics, createdAt,
        FeaturePooling.LAST,
        config.usesSideFeatures() ? SideFeatureScaling.identity(config.sideFeatures().size()) : null);
  }

  /** As above, for a ranker of {@code pooling} features whose side features are scaled by {@code sideScaling}. */
  public static ModelBundle of(RankerConfig config, RankerWeights rankerWeights, String rankerId, long version,
      Map<String, Object> hyperparameters, Map<String, Object> trainingData, Map<String, Double> holdoutMetrics,
      Instant createdAt,
      FeaturePooling pooling, SideFeatureScaling sideScaling) {
    byte[] weights = rankerWeights.toSafetensors();
    boolean side = config.usesSideFeatures();
    BundleManifest manifest = new BundleManifest(
        BundleManifest.FORMAT_VERSION, rankerId, version, config.architecture(), config.featureLayer(),
        config.featureDim(),
        config.projectionDim(), config.blocks(), config.heads(), config.hiddenDim(), rankerWeights.parameterCount(),
        hyperparameters, trainingData, holdoutMetrics, createdAt.toString(), BundleManifest.WEIGHTS_FILE,
        Sha256.hex(weights),
        pooling.key(), config.sideFeatures().stream().map(SideFeature::key).toList(),
        side ? sideScaling.means() : null, side ? sideScaling.stds() : null, config.hiddenStates());
    return new ModelBundle(manifest, weights);
  }

  /** The zip bytes. The weights entry is stored uncompressed: float noise does not deflate, and loading skips inflating. */
  public byte[] toBytes() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(weights.length + 4096);
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        zip.putNextEntry(new ZipEntry("manifest.json"));
        zip.write(JSON.writeValueAsBytes(manifest));
        zip.closeEntry();
        ZipEntry entry = new ZipEntry(manifest.weightsFile());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(weights.length);
        CRC32 crc = new CRC32();
        crc.update(weights);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(weights);
        zip.closeEntry();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bundle", e);
    }
  }
}
