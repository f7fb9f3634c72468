package dev.vegart.worker.pipeline;

import java.nio.file.Path;
import java.util.Set;

/** Checks a parsed manifest for what the pipeline relies on; messages name the manifest key and the expected value. */
final class ManifestValidator {
  private static final Set<String> DEVICES = Set.of("cpu", "cuda");
  private static final Set<String> DTYPES = Set.of("float32", "float16", "bfloat16");

  private ManifestValidator() {}

  static void validate(Path file, ModelManifest m) {
    require(file, m.formatVersion() == ModelManifest.FORMAT_VERSION,
        "format_version is " + m.formatVersion() + ", this worker reads " + ModelManifest.FORMAT_VERSION);
    require(file, m.model() != null && !m.model().isBlank(), "model must name the model");
    require(file, m.sizes() != null && !m.sizes().isEmpty(), "sizes must list at least one {width, height}");
    int cell = m.vaeScaleFactor();
    require(file, cell > 0, "vae_scale_factor must be positive");
    for (ModelInfo.Size s : m.sizes()) {
      require(file, s.width() > 0 && s.height() > 0 && s.width() % cell == 0 && s.height() % cell == 0,
          "sizes entry " + s.width() + "x" + s.height() + " must be positive multiples of vae_scale_factor " + cell);
    }
    require(file, m.maxSteps() >= 1, "max_steps must be at least 1");
    require(file, m.defaultSteps() >= 1 && m.defaultSteps() <= m.maxSteps(), "default_steps must be in 1..max_steps");
    require(file, m.latentChannels() > 0, "latent_channels must be positive");
    require(file, m.vaeScalingFactor() > 0, "vae_scaling_factor must be positive");
    require(file, m.text() != null && m.text().maxLength() >= 2 && m.text().contextDims() != null
        && m.text().contextDims().size() == 2 && m.text().pooledDim() > 0,
        "text must give max_length >= 2, two context_dims and pooled_dim");
    require(file, m.scheduler() != null && "lcm".equals(m.scheduler().type()), "scheduler.type must be \"lcm\"");
    require(file, "scaled_linear".equals(m.scheduler().betaSchedule()), "scheduler.beta_schedule must be \"scaled_linear\"");
    require(file, m.scheduler().originalInferenceSteps() > 0
        && m.scheduler().numTrainTimesteps() % m.scheduler().originalInferenceSteps() == 0
        && m.maxSteps() <= m.scheduler().originalInferenceSteps(),
        "scheduler.num_train_timesteps must be a multiple of original_inference_steps >= max_steps");
    require(file, m.tokenizers() != null && m.components() != null, "tokenizers and components are required");
    for (ModelManifest.Tokenizer t : m.tokenizers()) {
      require(file, t.file() != null && t.sha256() != null && t.maxLength() == m.text().maxLength(),
          "tokenizer for " + t.encoder() + " needs file, sha256 and max_length " + m.text().maxLength());
    }
    for (ModelManifest.Component c : m.components()) {
      require(file, c.name() != null && c.file() != null && c.sha256() != null,
          "every component needs name, file and sha256");
      require(file, DEVICES.contains(c.device()), "component " + c.file() + ": device must be one of " + DEVICES);
      require(file, DTYPES.contains(c.dtype()), "component " + c.file() + ": dtype must be one of " + DTYPES);
    }
  }

  private static void require(Path file, boolean ok, String what) {
    if (!ok) {
      throw new ModelDirectoryException(file + ": " + what);
    }
  }
}
