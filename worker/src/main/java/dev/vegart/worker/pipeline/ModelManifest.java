package dev.vegart.worker.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * The {@code manifest.json} of a model directory (format in docs/MODEL.md), read with snake_case names.
 * Built and checked by {@link ModelDirectory}; immutable.
 *
 * @param formatVersion layout version, {@value #FORMAT_VERSION} understood
 * @param model model name
 * @param sizes supported output sizes
 * @param defaultSteps steps when a request gives none
 * @param maxSteps largest supported step count (LCM: 8)
 * @param latentChannels latent channels (4)
 * @param vaeScaleFactor pixels per latent cell on each axis (8)
 * @param vaeScalingFactor SDXL VAE scaling factor (0.13025)
 * @param text token length and conditioning widths
 * @param scheduler LCM scheduler configuration
 * @param tokenizers one per text encoder
 * @param components TorchScript files, one per (name, device, dtype)
 */
public record ModelManifest(
    int formatVersion,
    String model,
    List<ModelInfo.Size> sizes,
    int defaultSteps,
    int maxSteps,
    int latentChannels,
    int vaeScaleFactor,
    double vaeScalingFactor,
    Text text,
    Scheduler scheduler,
    List<Tokenizer> tokenizers,
    List<Component> components) {

  public static final int FORMAT_VERSION = 1;

  /** Component names the pipeline knows. */
  public static final String TEXT_ENCODER = "text_encoder";
  public static final String TEXT_ENCODER_2 = "text_encoder_2";
  public static final String UNET = "unet";
  public static final String VAE_DECODER = "vae_decoder";
  public static final String TINY_DECODER = "tiny_decoder";

  /** @param maxLength tokens per prompt incl. BOS/EOS; @param contextDims hidden widths of both encoders; @param pooledDim */
  public record Text(int maxLength, List<Integer> contextDims, int pooledDim) {}

  /** diffusers LCMScheduler configuration. */
  public record Scheduler(
      String type,
      int numTrainTimesteps,
      double betaStart,
      double betaEnd,
      String betaSchedule,
      int originalInferenceSteps,
      double timestepScaling,
      double sigmaData) {}

  /** A tokenizer.json for one encoder; {@code padId} fills the sequence after EOS. */
  public record Tokenizer(String encoder, String file, String sha256, int padId, int maxLength) {}

  /**
   * One TorchScript file.
   *
   * @param name component name (see the constants)
   * @param device "cpu" or "cuda": what the file was traced for
   * @param dtype "float32", "float16" or "bfloat16": its floating inputs' dtype (timesteps and time ids stay float32)
   * @param latentDivisor decoders only: input = latents / latentDivisor
   */
  public record Component(String name, String file, String device, String dtype, String sha256, Double latentDivisor) {}

  /** The first component named {@code name} traced for {@code deviceType} ("cpu" or "cuda"), optionally of one dtype. */
  public Optional<Component> component(String name, String deviceType, String dtype) {
    return components.stream()
        .filter(c -> c.name().equals(name) && c.device().equals(deviceType))
        .filter(c -> dtype == null || c.dtype().equals(dtype))
        .findFirst();
  }

  public Tokenizer tokenizer(String encoder) {
    return tokenizers.stream()
        .filter(t -> t.encoder().equals(encoder))
        .findFirst()
        .orElseThrow(() -> new ModelDirectoryException("manifest.json declares no tokenizer for " + encoder));
  }

  public ModelInfo info(boolean hasFastDecoder) {
    return new ModelInfo(model, sizes, defaultSteps, hasFastDecoder);
  }
}
