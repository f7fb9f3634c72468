package dev.vegart.worker.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Device-side state of one generation between pipeline calls, in its own NDManager (a child of the pipeline's), so
 * that it lives exactly as long as the generation: conditioning, latents, and its noise stream.
 *
 * <p>The noise stream (initial latents, then one draw per re-noise step, from the generation's own torch-identical
 * generator) is drawn on a background executor as soon as the generation is encoded: drawing 1024x1024 noise costs
 * milliseconds of CPU per image and step, which must not sit on the device thread between UNet calls.
 */
final class GenerationState implements AutoCloseable {
  final NDManager manager;
  private final CompletableFuture<float[][]> noise;
  NDArray context;
  NDArray pooled;
  NDArray latents;

  GenerationState(NDManager parent, Generation g, int valuesPerDraw, Executor noiseExecutor) {
    this.manager = parent.newSubManager();
    this.noise = CompletableFuture.supplyAsync(() -> draws(g.seed(), g.steps(), valuesPerDraw), noiseExecutor);
  }

  /** {@code steps} draws: the initial latents, then the noise of each step but the last. */
  static float[][] draws(long seed, int steps, int valuesPerDraw) {
    TorchGenerator generator = new TorchGenerator(seed);
    float[][] out = new float[steps][];
    for (int i = 0; i < steps; i++) {
      out[i] = generator.randn(valuesPerDraw);
    }
    return out;
  }

  /**
   * Draw {@code index} (0 = initial latents, i = noise after step i-1), waiting for the background draw if needed.
   * Each draw is handed out once and then dropped, so a long generation does not hold all of its noise.
   */
  float[] noise(int index) {
    float[][] draws = noise.join();
    float[] draw = draws[index];
    if (draw == null) {
      throw new IllegalStateException("noise draw " + index + " was already used");
    }
    draws[index] = null;
    return draw;
  }

  /** Replaces the latents, freeing the previous ones; {@code next} moves into this state's manager. */
  void latents(NDArray next) {
    next.attach(manager);
    if (latents != null) {
      latents.close();
    }
    latents = next;
  }

  @Override
  public void close() {
    noise.cancel(false);
    manager.close();
  }
}
