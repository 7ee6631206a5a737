package dev.languageranker.ranker.bundle;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.bundle.BundleRefusedException.Reason;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.side.SideFeatureScaling;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads and validates model bundles. A bundle is refused, with a {@link Reason}, when it is not a
 * readable zip, lacks a part, its weights do not match the manifest's checksum or shapes, or it
 * reads features other than the caller's.
 */
public final class BundleLoader {
  // Far above any ranker (0.3M float32 parameters are 1.2 MB) and far below what would hurt a service.
  private static final int MAX_ENTRY_BYTES = 256 << 20;

  private BundleLoader() {}

  /** Parses and checks the bundle without building the model: manifest, checksum and expectations. */
  public static ModelBundle read(byte[] bundle, BundleExpectations expected) throws BundleRefusedException {
    if (bundle == null || bundle.length < 4 || bundle[0] != 'P' || bundle[1] != 'K') {
      throw new BundleRefusedException(Reason.NOT_A_BUNDLE, "not a zip archive");
    }
    byte[] manifestBytes = null;
    byte[] weights = null;
    BundleManifest manifest;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.getName().equals("manifest.json")) {
          manifestBytes = readEntry(zip, entry);
        } else if (entry.getName().equals(BundleManifest.WEIGHTS_FILE)) {
          weights = readEntry(zip, entry);
        }
      }
    } catch (ZipException e) {
      throw new BundleRefusedException(Reason.CORRUPT_ARCHIVE, e.getMessage(), e);
    } catch (IOException e) {
      throw new BundleRefusedException(Reason.CORRUPT_ARCHIVE, "cannot read archive: " + e.getMessage(), e);
    }
    if (manifestBytes == null) {
      throw new BundleRefusedException(Reason.MISSING_MANIFEST, "no manifest.json in bundle");
    }
    try {
      manifest = ModelBundle.JSON.readValue(manifestBytes, BundleManifest.class);
    } catch (IOException e) {
      throw new BundleRefusedException(Reason.INVALID_MANIFEST, "manifest.json does not parse: " + e.getMessage(), e);
    }
    if (manifest.formatVersion() != BundleManifest.FORMAT_VERSION) {
      throw new BundleRefusedException(Reason.UNSUPPORTED_FORMAT_VERSION,
          "bundle format " + manifest.formatVersion() + ", this loader reads " + BundleManifest.FORMAT_VERSION);
    }
    if (manifest.architecture() == null || manifest.weightsSha256() == null) {
      throw new BundleRefusedException(Reason.INVALID_MANIFEST, "manifest lacks architecture or weightsSha256");
    }
    if (weights == null) {
      throw new BundleRefusedException(Reason.MISSING_WEIGHTS, "no " + BundleManifest.WEIGHTS_FILE + " in bundle");
    }
    String actual = Sha256.hex(weights);
    if (!actual.equalsIgnoreCase(manifest.weightsSha256())) {
      throw new BundleRefusedException(Reason.CHECKSUM_MISMATCH,
          "weights sha256 is " + actual + ", manifest says " + manifest.weightsSha256());
    }
    if (expected.featureDim() != null && expected.featureDim() != manifest.featureDim()) {
      throw new BundleRefusedException(Reason.FEATURE_DIM_MISMATCH,
          "bundle reads features of dim " + manifest.featureDim() + ", expected " + expected.featureDim());
    }
    if (expected.featureLayer() != null && expected.featureLayer() != manifest.featureLayer()) {
      throw new BundleRefusedException(Reason.FEATURE_LAYER_MISMATCH,
          "bundle reads features of layer " + manifest.featureLayer() + ", expected " + expected.featureLayer());
    }
    FeaturePooling pooling;
    try {
      pooling = manifest.featurePooling();
    } catch (IllegalArgumentException e) {
      throw new BundleRefusedException(Reason.INVALID_MANIFEST, e.getMessage(), e);
    }
    if (expected.pooling() != null && expected.pooling() != pooling) {
      throw new BundleRefusedException(Reason.FEATURE_POOLING_MISMATCH,
          "bundle reads " + pooling.key() + "-pooled features, expected " + expected.pooling().key());
    }
    if (expected.architecture() != null && expected.architecture() != manifest.architecture()) {
      throw new BundleRefusedException(Reason.ARCHITECTURE_MISMATCH,
          "bundle is " + manifest.architecture() + ", expected " + expected.architecture());
    }
    return new ModelBundle(manifest, weights);
  }

  /** Reads, validates and builds a ranker ready to score; the caller closes it. */
  public static Ranker load(byte[] bundle, BundleExpectations expected) throws BundleRefusedException {
    ModelBundle parsed = read(bundle, expected);
    BundleManifest manifest = parsed.manifest();
    RankerNetwork network;
    SideFeatureScaling sideScaling;
    try {
      network = RankerNetwork.of(manifest.rankerConfig());
      sideScaling = manifest.sideFeatureScaling();
    } catch (IllegalArgumentException e) {
      throw new BundleRefusedException(Reason.INVALID_MANIFEST, e.getMessage(), e);
    }
    if (network.parameterCount() != manifest.parameterCount()) {
      throw new BundleRefusedException(Reason.INVALID_MANIFEST,
          "manifest says " + manifest.parameterCount() + " parameters, its architecture has "
              + network.parameterCount());
    }
    NDManager manager = NDManager.newBaseManager();
    try {
      RankerWeights weights = RankerWeights.fromSafetensors(manager, parsed.weights(), network.parameters());
      return new Ranker(network, weights, manager, manifest.featurePooling(), sideScaling);
    } catch (RuntimeException e) {
      manager.close();
      throw new BundleRefusedException(Reason.INVALID_WEIGHTS, String.valueOf(e.getMessage()), e);
    }
  }

  private static byte[] readEntry(ZipInputStream zip, ZipEntry entry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        entry.getSize() > 0 ? (int) Math.min(entry.getSize(), MAX_ENTRY_BYTES) : 8192);
    byte[] buffer = new byte[64 * 1024];
    int read;
    while ((read = zip.read(buffer)) > 0) {
      if (out.size() + read > MAX_ENTRY_BYTES) {
        throw new ZipException(entry.getName() + " is larger than " + MAX_ENTRY_BYTES + " bytes");
      }
      out.write(buffer, 0, read);
    }
    return out.toByteArray();
  }
}
