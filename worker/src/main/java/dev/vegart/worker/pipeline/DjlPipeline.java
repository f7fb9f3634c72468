package dev.vegart.worker.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vegart.common.job.Decoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Vega RT pipeline on DJL's PyTorch engine: both text encoders, per-sample LCM steps of the UNet, full or tiny
 * decoder. Reproduces deploy/model/reference.py (golden tests). Every call works in its own NDManager scope, closed
 * at the end; what a generation keeps between calls lives in its {@link GenerationState}.
 *
 * <p>Not thread-safe: one device thread drives it (see {@link Pipeline}); {@link #tokenizer()} may be used by any
 * thread.
 */
public final class DjlPipeline implements Pipeline {
  private final ModelDirectory dir;
  private final ModelManifest manifest;
  private final Device device;
  private final NDManager manager;
  private final PromptTokenizer tokenizer;
  private final LcmScheduler scheduler;
  private final Map<String, TorchComponent> components;
  private boolean perSample;
  private boolean synchronizeStages;
  private final ExecutorService noiseExecutor;

  DjlPipeline(ModelDirectory dir, Device device, NDManager manager, PromptTokenizer tokenizer,
      Map<String, TorchComponent> components) {
    this.dir = dir;
    this.manifest = dir.manifest();
    this.device = device;
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.scheduler = new LcmScheduler(manifest.scheduler());
    this.components = components;
    this.perSample = !device.isGpu();
    AtomicInteger threads = new AtomicInteger();
    this.noiseExecutor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "vegart-noise-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public ModelInfo info() {
    return manifest.info(components.containsKey(ModelManifest.TINY_DECODER));
  }

  public PromptTokenizer tokenizer() {
    return tokenizer;
  }

  public LcmScheduler scheduler() {
    return scheduler;
  }

  public Device device() {
    return device;
  }

  /** The component dtypes in use, e.g. {unet=float16, vae_decoder=bfloat16}. */
  public Map<String, String> dtypes() {
    Map<String, String> out = new LinkedHashMap<>();
    components.forEach((name, c) -> out.put(name, c.spec.dtype()));
    return out;
  }

  /**
   * Whether networks run once per sample on CPU (default true: bit-exact batch invariance, see DESIGN.md). False
   * batches CPU calls like CUDA ones; for benchmarks against a batched reference. No effect on CUDA.
   */
  public void batchInvariantOnCpu(boolean on) {
    this.perSample = on && !device.isGpu();
  }

  /**
   * For benchmarks: make every stage wait for the device before returning (CUDA kernels run asynchronously, so
   * otherwise a stage's time shows up in the next one that reads memory). Off in production.
   */
  public void synchronizeStages(boolean on) {
    this.synchronizeStages = on;
  }

  private void synchronize(NDArray lastOutput) {
    if (synchronizeStages && device.isGpu()) {
      try (NDArray flat = lastOutput.flatten(); NDArray first = flat.get(0);
          NDArray probe = first.toType(DataType.FLOAT32, false)) {
        probe.toFloatArray();
      }
    }
  }

  @Override
  public void encodeText(List<Generation> batch) {
    if (batch.isEmpty()) {
      return;
    }
    int length = manifest.text().maxLength();
    long[] ids1 = new long[batch.size() * length];
    long[] ids2 = new long[batch.size() * length];
    for (int i = 0; i < batch.size(); i++) {
      Generation g = batch.get(i);
      checkRequest(g);
      if (g.tokens() == null) {
        g.tokens(tokenizer.tokenize(g.prompt()));
      }
      System.arraycopy(g.tokens().ids(0), 0, ids1, i * length, length);
      System.arraycopy(g.tokens().ids(1), 0, ids2, i * length, length);
    }
    TorchComponent unet = components.get(ModelManifest.UNET);
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(batch.size(), length);
      NDArray hidden1 = components.get(ModelManifest.TEXT_ENCODER)
          .forward(new NDList(scope.create(ids1, shape)), perSample)
          .get(0);
      NDList second = components.get(ModelManifest.TEXT_ENCODER_2)
          .forward(new NDList(scope.create(ids2, shape)), perSample);
      NDArray context = hidden1.toType(unet.dtype, false).concat(second.get(0).toType(unet.dtype, false), -1);
      NDArray pooled = second.get(1).toType(unet.dtype, false);
      for (int i = 0; i < batch.size(); i++) {
        Generation g = batch.get(i);
        g.release();
        GenerationState state = new GenerationState(manager, g, (int) latentShape(g.width(), g.height()).size(),
            noiseExecutor);
        state.context = row(context, i, state.manager);
        state.pooled = row(pooled, i, state.manager);
        g.state(state);
      }
      synchronize(batch.get(batch.size() - 1).state().pooled);
    }
  }

  /**
   * Refuses what the model cannot run before any device work: a size the manifest does not list, a step count
   * outside 1..max_steps, the fast decoder when there is none. (The gateway refuses these too; this is the backstop.)
   */
  private void checkRequest(Generation g) {
    if (!manifest.sizes().contains(new ModelInfo.Size(g.width(), g.height()))) {
      throw new IllegalArgumentException("size " + g.width() + "x" + g.height() + " is not supported by model "
          + manifest.model() + "; supported: " + manifest.sizes().stream().map(s -> s.width() + "x" + s.height()).toList());
    }
    if (g.steps() < 1 || g.steps() > manifest.maxSteps()) {
      throw new IllegalArgumentException("steps must be in 1.." + manifest.maxSteps() + ", got " + g.steps());
    }
    decoderName(g.decoder());
  }

  /** Row i of a batch as its own [1, ...] array (a copy, so the batch's memory is freed with its scope). */
  private static NDArray row(NDArray batch, int i, NDManager owner) {
    NDArray copy = batch.get(new NDIndex(i + ":" + (i + 1))).duplicate();
    copy.attach(owner);
    return copy;
  }

  @Override
  public void unetStep(List<Generation> batch) {
    if (batch.isEmpty()) {
      return;
    }
    int width = batch.get(0).width();
    int height = batch.get(0).height();
    int b = batch.size();
    Shape latentShape = latentShape(width, height);
    int perImage = (int) latentShape.size();
    float[] timesteps = new float[b];
    float[] timeIds = new float[b * 6];
    float[][] coef = new float[6][b];
    float[] noise = new float[b * perImage];
    for (int i = 0; i < b; i++) {
      Generation g = batch.get(i);
      if (g.width() != width || g.height() != height) {
        throw new IllegalArgumentException("unetStep needs one size per call, got " + width + "x" + height
            + " and " + g.width() + "x" + g.height());
      }
      if (g.stepsDone() || g.state() == null) {
        throw new IllegalStateException("generation " + g.id() + " is " + (g.stepsDone() ? "done" : "not encoded"));
      }
      GenerationState state = g.state();
      if (state.latents == null) {
        state.latents(manager.create(state.noise(0), latentShape));
      }
      LcmScheduler.StepCoefficients c = scheduler.coefficients(g.steps(), g.stepIndex());
      timesteps[i] = c.timestep();
      System.arraycopy(new float[] {height, width, 0, 0, height, width}, 0, timeIds, i * 6, 6);
      coef[0][i] = c.sqrtA();
      coef[1][i] = c.sqrtOneMinusA();
      coef[2][i] = c.cSkip();
      coef[3][i] = c.cOut();
      coef[4][i] = c.sqrtNext();
      coef[5][i] = c.sqrtOneMinusNext();
      if (!c.last()) {
        System.arraycopy(state.noise(g.stepIndex() + 1), 0, noise, i * perImage, perImage);
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = stack(scope, batch, s -> s.latents);
      TorchComponent unet = components.get(ModelManifest.UNET);
      NDArray eps = unet.forward(new NDList(
              x.toType(unet.dtype, false),
              scope.create(timesteps),
              stack(scope, batch, s -> s.context),
              stack(scope, batch, s -> s.pooled),
              scope.create(timeIds, new Shape(b, 6))), perSample)
          .get(0)
          .toType(DataType.FLOAT32, false);
      Shape perSample = new Shape(b, 1, 1, 1);
      NDArray x0 = x.sub(eps.mul(scope.create(coef[1], perSample))).div(scope.create(coef[0], perSample));
      NDArray denoised = x0.mul(scope.create(coef[3], perSample)).add(x.mul(scope.create(coef[2], perSample)));
      NDArray next = denoised.mul(scope.create(coef[4], perSample))
          .add(scope.create(noise, new Shape(b).addAll(latentShape.slice(1))).mul(scope.create(coef[5], perSample)));
      for (int i = 0; i < b; i++) {
        Generation g = batch.get(i);
        g.state().latents(row(next, i, g.state().manager));
        g.advance();
      }
      synchronize(batch.get(b - 1).state().latents);
    }
  }

  private Shape latentShape(int width, int height) {
    int cell = manifest.vaeScaleFactor();
    return new Shape(1, manifest.latentChannels(), height / cell, width / cell);
  }

  /** Concatenates one per-generation array along the batch axis, into {@code scope}. */
  private static NDArray stack(NDManager scope, List<Generation> batch,
      java.util.function.Function<GenerationState, NDArray> field) {
    NDList parts = new NDList(batch.size());
    for (Generation g : batch) {
      parts.add(field.apply(g.state()));
    }
    NDArray out = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
    out.attach(scope);
    return out;
  }

  @Override
  public void decode(List<Generation> batch) {
    Map<String, List<Generation>> groups = new LinkedHashMap<>();
    for (Generation g : batch) {
      if (!g.stepsDone() || g.state() == null || g.state().latents == null) {
        throw new IllegalStateException("generation " + g.id() + " has no finished latents");
      }
      String name = decoderName(g.decoder());
      groups.computeIfAbsent(name + "/" + g.width() + "x" + g.height(), k -> new ArrayList<>()).add(g);
    }
    for (List<Generation> group : groups.values()) {
      decodeGroup(components.get(decoderName(group.get(0).decoder())), group);
    }
  }

  private String decoderName(Decoder decoder) {
    String name = decoder == Decoder.FAST ? ModelManifest.TINY_DECODER : ModelManifest.VAE_DECODER;
    if (!components.containsKey(name)) {
      throw new IllegalArgumentException("decoder \"" + decoder.wire() + "\" is not available: model "
          + manifest.model() + " has no " + name);
    }
    return name;
  }

  private void decodeGroup(TorchComponent decoder, List<Generation> group) {
    int width = group.get(0).width();
    int height = group.get(0).height();
    try (NDManager scope = manager.newSubManager()) {
      NDArray latents = stack(scope, group, s -> s.latents);
      double divisor = decoder.spec.latentDivisor() == null ? 1.0 : decoder.spec.latentDivisor();
      NDArray image = decoder.forward(new NDList(latents.div((float) divisor).toType(decoder.dtype, false)), perSample)
          .get(0)
          .toType(DataType.FLOAT32, false);
      // diffusers' postprocessing: [-1,1] -> [0,1] -> *255, rounded half-to-even, then HWC bytes
      byte[] rgb = image.div(2f).add(0.5f).clip(0f, 1f).mul(255f).round()
          .toType(DataType.UINT8, false)
          .transpose(0, 2, 3, 1)
          .toByteArray();
      int perImage = width * height * 3;
      for (int i = 0; i < group.size(); i++) {
        Generation g = group.get(i);
        byte[] own = new byte[perImage];
        System.arraycopy(rgb, i * perImage, own, 0, perImage);
        g.image(new RgbImage(width, height, own));
        g.release();
      }
    }
  }

  /**
   * Warms up every size at batch sizes 1..{@code maxBatchSize} (both decoders when present) and measures, on a GPU,
   * the largest batch per size that keeps device memory in use within {@code memoryFraction} of the device's total.
   * Call once on the device thread before taking jobs; it takes seconds per size on a GPU.
   */
  public BatchCapacity warmUp(List<ModelInfo.Size> sizes, int maxBatchSize, double memoryFraction) {
    if (maxBatchSize < 1 || memoryFraction <= 0 || memoryFraction > 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1 and memoryFraction in (0, 1]");
    }
    boolean fast = components.containsKey(ModelManifest.TINY_DECODER);
    if (!device.isGpu()) {
      return WarmUp.run(this, sizes, maxBatchSize, fast, null, Long.MAX_VALUE, () -> { });
    }
    long total = ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getMax();
    return WarmUp.run(this, sizes, maxBatchSize, fast,
        () -> ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getUsed(), (long) (total * memoryFraction),
        ai.djl.pytorch.jni.JniUtils::emptyCudaCache);
  }

  @Override
  public void close() {
    noiseExecutor.shutdownNow();
    components.values().forEach(TorchComponent::close);
    tokenizer.close();
    manager.close();
  }

  @Override
  public String toString() {
    return "DjlPipeline[" + manifest.model() + " on " + device + ", " + dtypes() + ", dir " + dir.dir() + "]";
  }
}
