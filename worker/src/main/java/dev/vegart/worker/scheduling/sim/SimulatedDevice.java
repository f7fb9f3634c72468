package dev.vegart.worker.scheduling.sim;

import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.Stage;
import dev.vegart.worker.scheduling.StageExecutor;
import java.util.List;

/** A device that does nothing but take the cost model's time on the virtual clock. */
public final class SimulatedDevice implements StageExecutor {
  private final CostModel model;
  private final VirtualClock clock;

  public SimulatedDevice(CostModel model, VirtualClock clock) {
    this.model = model;
    this.clock = clock;
  }

  @Override
  public void run(Stage stage, List<Generation> batch) {
    Generation first = batch.get(0);
    for (Generation g : batch) {
      if (stage != Stage.TEXT_ENCODE && (g.width() != first.width() || g.height() != first.height())) {
        throw new IllegalArgumentException(stage.tag() + " call mixes sizes");
      }
    }
    double ms = model.millis(stage, batch.size(), first.width(), first.height());
    clock.advance(Math.round(ms * 1e6));
  }
}
