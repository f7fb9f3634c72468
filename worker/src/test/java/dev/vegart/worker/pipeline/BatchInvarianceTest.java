package dev.vegart.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.job.Decoder;
import dev.vegart.common.job.OutputFormat;
import dev.vegart.worker.imageio.ImageEncoder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A request's image must not depend on what it is batched with (per-image noise streams, per-sample timesteps). */
class BatchInvarianceTest {
  private static DjlPipeline pipeline;
  private final ImageEncoder encoder = new ImageEncoder();

  @BeforeAll
  static void load() {
    pipeline = Pipelines.load(Golden.tinyModel(), "cpu");
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  private static Generation cat() {
    return new Generation("cat", "a photo of a cat", 42, 4, 256, 256, Decoder.FULL);
  }

  @Test
  void sameSeedAloneAndInABatchOfFourGivesIdenticalPngBytes() {
    Generation alone = cat();
    pipeline.runToCompletion(List.of(alone));

    Generation inBatch = cat();
    List<Generation> batch = List.of(
        new Generation("a", "a red fox in the snow", 1, 4, 256, 256, Decoder.FULL),
        inBatch,
        new Generation("b", "portrait of an old sailor, oil painting", 2, 8, 256, 256, Decoder.FAST),
        new Generation("c", "", 3, 2, 256, 256, Decoder.FULL));
    pipeline.runToCompletion(batch);

    byte[] a = encoder.encode(alone.image(), OutputFormat.PNG).bytes();
    byte[] b = encoder.encode(inBatch.image(), OutputFormat.PNG).bytes();
    assertThat(java.util.Arrays.equals(a, b)).as("PNG bytes alone == in a batch of four").isTrue();
    assertThat(java.util.Arrays.equals(encoder.encode(batch.get(0).image(), OutputFormat.PNG).bytes(), a)).isFalse();
  }

  @Test
  void generationsAtDifferentStepsShareOneUnetCallWithoutChangingEachOther() {
    Generation reference = cat();
    pipeline.runToCompletion(List.of(reference));

    // continuous batching: the cat joins a batch whose other member is already two steps in
    Generation early = new Generation("early", "a lighthouse at night", 9, 8, 256, 256, Decoder.FULL);
    pipeline.encodeText(List.of(early));
    pipeline.unetStep(List.of(early));
    pipeline.unetStep(List.of(early));
    Generation late = cat();
    pipeline.encodeText(List.of(late));
    while (!late.stepsDone()) {
      pipeline.unetStep(List.of(early, late));
    }
    pipeline.decode(List.of(late));
    early.release();
    assertThat(java.util.Arrays.equals(late.image().rgb(), reference.image().rgb())).as("same pixels").isTrue();
  }
}
