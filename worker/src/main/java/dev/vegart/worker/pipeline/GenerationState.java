package dev.vegart.worker.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Device-side state of one generation between pipeline calls, in its own NDManager (a child of the pipeline's), so
 * that it lives exactly as long as the generation: conditioning, latents and its noise stream.
 */
final class GenerationState implements AutoCloseable {
  final NDManager manager;
  final TorchGenerator noise;
  NDArray context;
  NDArray pooled;
  NDArray latents;

  GenerationState(NDManager parent, long seed) {
    this.manager = parent.newSubManager();
    this.noise = new TorchGenerator(seed);
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
    manager.close();
  }
}
