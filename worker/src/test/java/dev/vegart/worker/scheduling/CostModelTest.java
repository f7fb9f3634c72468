package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vegart.worker.scheduling.sim.CostModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CostModelTest {
  private final CostModel h200 = CostModel.h200();

  @Test
  void reproducesTheMeasuredH200Points() {
    assertThat(h200.millis(Stage.UNET_STEP, 1, 1024, 1024)).isCloseTo(14.3, within(1e-9));
    assertThat(h200.millis(Stage.UNET_STEP, 8, 1024, 1024)).isCloseTo(71.2, within(1e-9));
    assertThat(h200.millis(Stage.DECODE_FULL, 4, 1024, 1024)).isCloseTo(300.4, within(1e-9));
    assertThat(h200.millis(Stage.TEXT_ENCODE, 1, 512, 512)).isCloseTo(8.3, within(1e-9));
    // The brief measured the 4-step pipeline at 154.6 ms; the stage sum is within 2% of it.
    assertThat(h200.pipelineMillis(1, 4, 1024, 1024)).isCloseTo(154.6, within(154.6 * 0.02));
  }

  @Test
  void interpolatesBetweenBatchSizesAndScalesWithPixels() {
    assertThat(h200.millis(Stage.UNET_STEP, 6, 1024, 1024)).isCloseTo((39.2 + 71.2) / 2, within(1e-9));
    // Two 1024x512 images are the work of one 1024x1024 image... plus batch economies are not assumed.
    assertThat(h200.millis(Stage.UNET_STEP, 2, 1024, 512)).isCloseTo(14.3, within(1e-9));
    assertThat(h200.millis(Stage.DECODE_FULL, 16, 1024, 1024)).isCloseTo(559.2 + 8 * (559.2 - 300.4) / 4, within(1e-9));
    assertThat(h200.millis(Stage.UNET_STEP, 1, 256, 256)).isPositive().isLessThan(14.3);
  }

  @Test
  void bestFixedBatchThroughputIsAtTheLargestBatchForTheH200Table() {
    double capacity = h200.bestFixedBatchThroughput(8, new int[] {2, 4, 8}, 1024, 1024);
    double perImageMs = (h200.pipelineMillis(8, 2, 1024, 1024) + h200.pipelineMillis(8, 4, 1024, 1024)
        + h200.pipelineMillis(8, 8, 1024, 1024)) / 3 / 8;
    assertThat(capacity).isCloseTo(1000 / perImageMs, within(1e-9));
  }

  @Test
  void rejectsATableWithoutAStageOrWithDecreasingBatches() {
    String missing = "{\"stages\": {\"text_encode\": {\"points\": [{\"batch\":1,\"ms\":1},{\"batch\":2,\"ms\":2}]}}}";
    assertThatThrownBy(() -> CostModel.load(stream(missing))).hasMessageContaining("unet_step");
    String decreasing = "{\"stages\": {\"text_encode\": {\"points\": [{\"batch\":2,\"ms\":1},{\"batch\":1,\"ms\":2}]}}}";
    assertThatThrownBy(() -> CostModel.load(stream(decreasing))).hasMessageContaining("increasing");
  }

  private static ByteArrayInputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }
}
