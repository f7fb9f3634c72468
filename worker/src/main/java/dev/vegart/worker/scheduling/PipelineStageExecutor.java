package dev.vegart.worker.scheduling;

import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.pipeline.Pipeline;
import java.util.List;

/** Runs scheduler stages on the real {@link Pipeline}; owned by the device thread like the pipeline itself. */
public final class PipelineStageExecutor implements StageExecutor {
  private final Pipeline pipeline;

  public PipelineStageExecutor(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void run(Stage stage, List<Generation> batch) {
    switch (stage) {
      case TEXT_ENCODE -> pipeline.encodeText(batch);
      case UNET_STEP -> pipeline.unetStep(batch);
      case DECODE_FULL, DECODE_FAST -> decode(batch);
    }
  }

  private void decode(List<Generation> batch) {
    pipeline.decode(batch);
    for (Generation g : batch) {
      if (g.image() == null) {
        // Without this a job would "succeed" with a missing image and fail much later, at encoding.
        throw new IllegalStateException("pipeline decode returned without an image for generation " + g.id());
      }
    }
  }
}
