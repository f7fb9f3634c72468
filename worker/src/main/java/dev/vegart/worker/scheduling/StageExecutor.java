package dev.vegart.worker.scheduling;

import dev.vegart.worker.pipeline.Generation;
import java.util.List;

/**
 * The scheduler's only view of the device: run one stage on one batch, taking whatever time it takes.
 * Production wraps the DJL {@link dev.vegart.worker.pipeline.Pipeline} ({@link PipelineStageExecutor});
 * benchmarks and tests use a cost model on a virtual clock, so the same scheduler code decides in both.
 *
 * <p>Called from the scheduler's device thread only. The scheduler guarantees: text encode comes first
 * and once per generation; a {@link Stage#UNET_STEP} call holds generations of one size whose steps
 * are not done; a decode call holds generations of one size and one decoder, each with all its steps done.
 *
 * <p>A call either completes the stage for every generation in the batch or throws having advanced
 * none of them: the scheduler then re-runs the batch one job at a time to find the job that fails,
 * so that its batch-mates still complete.
 */
@FunctionalInterface
public interface StageExecutor {
  void run(Stage stage, List<Generation> batch) throws Exception;
}
