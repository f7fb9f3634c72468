package dev.vegart.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  private static final ModelInfo.Size SMALL = new ModelInfo.Size(64, 64);
  private static final ModelInfo.Size LARGE = new ModelInfo.Size(128, 128);

  @Test
  void warmsEveryShapeOnCpuAndLeavesNoDeviceState() {
    try (DjlPipeline pipeline = Pipelines.load(Golden.tinyModel(), "cpu")) {
      BatchCapacity capacity = pipeline.warmUp(List.of(SMALL, LARGE), 2, 0.9);
      assertThat(capacity.maxBatch(64, 64)).isEqualTo(2);
      assertThat(capacity.maxBatch(128, 128)).isEqualTo(2);
      assertThat(capacity.maxBatch(256, 256)).isZero();
    }
  }

  @Test
  void stopsAtTheFirstBatchOverTheMemoryBudget() {
    ShapeRecorder pipeline = new ShapeRecorder(Integer.MAX_VALUE);
    long gib = 1L << 30;
    // 1 GiB of weights + 2 GiB per image of 64x64, 4 GiB per image of 128x128; budget 6 GiB
    BatchCapacity capacity = WarmUp.run(pipeline, List.of(SMALL, LARGE), 8, false,
        () -> gib + 2 * gib * pipeline.lastBatch * (pipeline.lastSize / 64),
        6 * gib, () -> { });
    assertThat(capacity.maxBatch(64, 64)).isEqualTo(2);
    assertThat(capacity.maxBatch(128, 128)).isEqualTo(1);
  }

  @Test
  void outOfMemoryEndsTheSizeAndReleasesTheCache() {
    ShapeRecorder pipeline = new ShapeRecorder(3);
    AtomicInteger releases = new AtomicInteger();
    BatchCapacity capacity = WarmUp.run(pipeline, List.of(SMALL), 8, false, () -> 0L, Long.MAX_VALUE,
        releases::incrementAndGet);
    assertThat(capacity.maxBatch(64, 64)).isEqualTo(2);
    assertThat(releases).hasValue(1);
    assertThat(pipeline.shapes).containsExactly("64x1", "64x1", "64x2", "64x2", "64x3");
  }

  /** A pipeline fake for the budget logic only: records shapes and fails from {@code oomFrom} images on. */
  private static final class ShapeRecorder implements Pipeline {
    final List<String> shapes = new ArrayList<>();
    final int oomFrom;
    int lastBatch;
    int lastSize;

    ShapeRecorder(int oomFrom) {
      this.oomFrom = oomFrom;
    }

    @Override
    public ModelInfo info() {
      return new ModelInfo("fake", List.of(SMALL, LARGE), 1, false);
    }

    @Override
    public void runToCompletion(List<Generation> batch) {
      lastBatch = batch.size();
      lastSize = batch.get(0).width();
      shapes.add(lastSize + "x" + lastBatch);
      if (lastBatch >= oomFrom) {
        throw new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB");
      }
    }

    @Override
    public void encodeText(List<Generation> batch) {}

    @Override
    public void unetStep(List<Generation> batch) {}

    @Override
    public void decode(List<Generation> batch) {}

    @Override
    public void close() {}
  }
}
