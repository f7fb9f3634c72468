package dev.vegart.worker.pipeline;

import ai.djl.engine.EngineException;
import dev.vegart.common.job.Decoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every (size, batch size) through every stage twice before the worker takes jobs: TorchScript's profiling
 * executor specialises a graph per input shape on its first calls, so the first request of each shape would otherwise
 * be slow. Batch sizes grow from 1; the first one that leaves more device memory in use than the budget, or fails
 * with out-of-memory, ends that size: the previous one is its capacity.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  private WarmUp() {}

  /**
   * @param usedBytes device memory in use now (incl. the allocator's cache), or null to skip the budget (CPU)
   * @param budgetBytes the most {@code usedBytes} may reach
   */
  static BatchCapacity run(Pipeline pipeline, List<ModelInfo.Size> sizes, int maxBatchSize, boolean fastDecoder,
      LongSupplier usedBytes, long budgetBytes, Runnable releaseCache) {
    Map<ModelInfo.Size, Integer> capacity = new LinkedHashMap<>();
    for (ModelInfo.Size size : sizes) {
      int fits = 0;
      for (int b = 1; b <= maxBatchSize; b++) {
        if (!fitsAfterTwoPasses(pipeline, size, b, fastDecoder, releaseCache)) {
          LOG.info("warm-up {}x{}: batch {} ran out of device memory", size.width(), size.height(), b);
          break;
        }
        if (usedBytes != null && usedBytes.getAsLong() > budgetBytes) {
          LOG.info("warm-up {}x{}: batch {} used {} MiB, over the budget of {} MiB", size.width(), size.height(), b,
              usedBytes.getAsLong() >> 20, budgetBytes >> 20);
          break;
        }
        fits = b;
      }
      capacity.put(size, fits);
    }
    return new BatchCapacity(capacity);
  }

  private static boolean fitsAfterTwoPasses(Pipeline pipeline, ModelInfo.Size size, int batchSize,
      boolean fastDecoder, Runnable releaseCache) {
    for (int pass = 0; pass < 2; pass++) {
      List<Generation> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        Decoder decoder = fastDecoder && i % 2 == 1 ? Decoder.FAST : Decoder.FULL;
        batch.add(new Generation("warm-up-" + i, "warm-up", i, 1, size.width(), size.height(), decoder));
      }
      try {
        pipeline.runToCompletion(batch);
      } catch (EngineException e) {
        if (!String.valueOf(e.getMessage()).toLowerCase().contains("out of memory")) {
          throw e;
        }
        batch.forEach(Generation::release);
        releaseCache.run();
        return false;
      }
    }
    return true;
  }
}
