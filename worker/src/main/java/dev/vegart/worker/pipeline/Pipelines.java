package dev.vegart.worker.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads a model directory into a {@link Pipeline}, verifying it first. */
public final class Pipelines {
  private static final Pattern DEVICE = Pattern.compile("cpu|cuda(?::(\\d+))?");
  private static final List<String> REQUIRED = List.of(
      ModelManifest.TEXT_ENCODER, ModelManifest.TEXT_ENCODER_2, ModelManifest.UNET, ModelManifest.VAE_DECODER);

  private Pipelines() {}

  /** {@link #load(Path, String, Map)} with the manifest's first listed dtype for every component. */
  public static DjlPipeline load(Path modelDir, String device) {
    return load(modelDir, device, Map.of());
  }

  /**
   * Verifies {@code modelDir} (manifest, then sha256 of every file this device needs) and loads it.
   *
   * @param device "cpu", "cuda" or "cuda:N"
   * @param dtypes per component name, the dtype to pick among that device's files (e.g. {@code vae_decoder ->
   *     float16} for an fp16-fixed VAE); components not named take the first file the manifest lists for the device
   * @throws ModelDirectoryException naming the missing or corrupt file and what was expected
   */
  public static DjlPipeline load(Path modelDir, String device, Map<String, String> dtypes) {
    DjlRuntime.configureOffline();
    ModelDirectory dir = ModelDirectory.open(modelDir);
    Device djlDevice = parseDevice(device);
    String type = djlDevice.isGpu() ? "cuda" : "cpu";
    Map<String, ModelManifest.Component> chosen = new LinkedHashMap<>();
    for (String name : List.of(ModelManifest.TEXT_ENCODER, ModelManifest.TEXT_ENCODER_2, ModelManifest.UNET,
        ModelManifest.VAE_DECODER, ModelManifest.TINY_DECODER)) {
      String dtype = dtypes.get(name);
      dir.manifest().component(name, type, dtype).ifPresentOrElse(c -> chosen.put(name, c), () -> {
        if (REQUIRED.contains(name) || dtype != null) {
          throw new ModelDirectoryException(modelDir.resolve("manifest.json") + " lists no " + type
              + (dtype == null ? "" : " " + dtype) + " file for component " + name + " (it lists: "
              + dir.manifest().components().stream().filter(c -> c.name().equals(name)).map(c -> c.file()).toList()
              + ")");
        }
      });
    }
    Map<String, java.nio.file.Path> files = new LinkedHashMap<>();
    chosen.forEach((name, c) -> files.put(name, dir.verified(c)));
    PromptTokenizer tokenizer = new PromptTokenizer(dir);
    NDManager manager = NDManager.newBaseManager(djlDevice, "PyTorch");
    Map<String, TorchComponent> components = new LinkedHashMap<>();
    try {
      chosen.forEach((name, c) -> components.put(name, TorchComponent.load(c, files.get(name), djlDevice)));
    } catch (RuntimeException e) {
      components.values().forEach(TorchComponent::close);
      manager.close();
      tokenizer.close();
      throw e;
    }
    return new DjlPipeline(dir, djlDevice, manager, tokenizer, components);
  }

  static Device parseDevice(String device) {
    Matcher m = DEVICE.matcher(device == null ? "" : device);
    if (!m.matches()) {
      throw new IllegalArgumentException("device must be cpu, cuda or cuda:N, got " + device);
    }
    if (device.equals("cpu")) {
      return Device.cpu();
    }
    return Device.gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
  }
}
