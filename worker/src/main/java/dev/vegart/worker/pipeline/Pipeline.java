package dev.vegart.worker.pipeline;

import java.util.List;

/**
 * The device-side stages of the Vega RT pipeline, driven by exactly one thread (the GPU thread).
 *
 * <p>The batching scheduler calls the stages one at a time: {@link #encodeText} for newly admitted
 * generations, {@link #unetStep} for active generations of one size (each at its own timestep and step
 * count), {@link #decode} for generations whose steps are done. A generation's result never depends on
 * which other generations share a call (per-generation noise streams, per-sample timesteps).
 *
 * <p>Not thread-safe: one instance per device thread. {@link #close()} frees all device memory.
 */
public interface Pipeline extends AutoCloseable {

  /** What the loaded model directory declares: sizes, default steps, decoders. */
  ModelInfo info();

  /** Runs both text encoders for {@code batch} (tokens already set) and stores the conditioning in each generation. */
  void encodeText(List<Generation> batch);

  /**
   * One UNet call over {@code batch}, all of one size, each generation advanced by exactly one LCM step at
   * its own timestep. Generations whose steps are all done must not be passed.
   */
  void unetStep(List<Generation> batch);

  /** Decodes finished latents to RGB with each generation's chosen decoder and stores the raster in it. */
  void decode(List<Generation> batch);

  /** Convenience for callers without a scheduler: every stage, to completion, grouping unet calls by size. */
  default void runToCompletion(List<Generation> batch) {
    encodeText(batch);
    while (true) {
      List<Generation> active = batch.stream().filter(g -> !g.stepsDone()).toList();
      if (active.isEmpty()) {
        break;
      }
      int w = active.get(0).width();
      int h = active.get(0).height();
      unetStep(active.stream().filter(g -> g.width() == w && g.height() == h).toList());
    }
    decode(batch);
  }

  @Override
  void close();
}
