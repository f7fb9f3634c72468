package dev.vegart.worker.pipeline;

import java.util.Map;

/**
 * The largest batch each size may run with, as measured by {@link DjlPipeline#warmUp}: on a GPU the largest batch
 * whose warm-up stayed within the memory budget (device memory in use after the batch, incl. PyTorch's cache); on CPU
 * the configured maximum.
 *
 * @param maxBatch per size; 0 when even one image did not fit
 */
public record BatchCapacity(Map<ModelInfo.Size, Integer> maxBatch) {
  public BatchCapacity {
    maxBatch = Map.copyOf(maxBatch);
  }

  /** The largest batch for {@code width x height}, 0 for a size that was not warmed up. */
  public int maxBatch(int width, int height) {
    return maxBatch.getOrDefault(new ModelInfo.Size(width, height), 0);
  }
}
