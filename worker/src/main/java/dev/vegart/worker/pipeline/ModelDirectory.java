package dev.vegart.worker.pipeline;

import dev.vegart.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A model directory whose manifest.json was read and checked. Files are checked (present, sha256 equal to the
 * manifest's) by {@link #verified}, only for what is about to be loaded: a CPU worker never hashes CUDA files.
 * Every failure is a {@link ModelDirectoryException} naming the file and what was expected.
 */
public record ModelDirectory(Path dir, ModelManifest manifest) {

  /** Reads and validates {@code dir/manifest.json}. */
  public static ModelDirectory open(Path dir) {
    Path file = dir.resolve("manifest.json");
    if (!Files.isRegularFile(file)) {
      throw new ModelDirectoryException("model directory " + dir.toAbsolutePath() + " has no manifest.json"
          + " (expected a directory written by deploy/model/export_vegart.py)");
    }
    ModelManifest manifest;
    try {
      manifest = Json.MAPPER.readValue(file.toFile(), ModelManifest.class);
    } catch (IOException e) {
      throw new ModelDirectoryException(file + " is not a valid manifest: " + e.getMessage(), e);
    }
    ManifestValidator.validate(file, manifest);
    return new ModelDirectory(dir, manifest);
  }

  /** The path of {@code relative} after checking that it exists and hashes to {@code sha256}. */
  public Path verified(String relative, String sha256) {
    Path path = dir.resolve(relative).normalize();
    if (!path.startsWith(dir.normalize())) {
      throw new ModelDirectoryException("manifest.json names " + relative + ", outside the model directory");
    }
    if (!Files.isRegularFile(path)) {
      throw new ModelDirectoryException("model file " + path + " is missing (manifest.json lists it with sha256 " + sha256 + ")");
    }
    String actual = sha256(path);
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new ModelDirectoryException("model file " + path + " is corrupt: sha256 " + actual + ", manifest.json expects " + sha256);
    }
    return path;
  }

  public Path verified(ModelManifest.Component component) {
    return verified(component.file(), component.sha256());
  }

  public Path verified(ModelManifest.Tokenizer tokenizer) {
    return verified(tokenizer.file(), tokenizer.sha256());
  }

  static String sha256(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new ModelDirectoryException("cannot read model file " + path + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Components of the manifest for one device type, in manifest order. */
  public List<ModelManifest.Component> components(String deviceType) {
    return manifest.components().stream().filter(c -> c.device().equals(deviceType)).toList();
  }
}
