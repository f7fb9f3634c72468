package dev.vegart.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.common.job.Decoder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlPipelineTest {
  private static DjlPipeline pipeline;

  @BeforeAll
  static void load() {
    pipeline = Pipelines.load(Golden.tinyModel(), "cpu");
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  @Test
  void infoComesFromTheManifest() {
    ModelInfo info = pipeline.info();
    assertThat(info.name()).isEqualTo("tiny-random");
    assertThat(info.defaultSteps()).isEqualTo(4);
    assertThat(info.hasFastDecoder()).isTrue();
    assertThat(info.sizes()).contains(new ModelInfo.Size(1024, 1024));
    assertThat(pipeline.dtypes()).containsEntry("unet", "float32").containsEntry("vae_decoder", "float32");
  }

  @Test
  void refusesAnUnsupportedSizeListingTheSupportedOnes() {
    Generation g = new Generation("x", "a cat", 1, 4, 100, 100, Decoder.FULL);
    assertThatThrownBy(() -> pipeline.encodeText(List.of(g)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size 100x100 is not supported")
        .hasMessageContaining("1024x1024");
  }

  @Test
  void refusesStepsOutsideOneToMaxSteps() {
    assertThatThrownBy(() -> pipeline.encodeText(List.of(new Generation("x", "a cat", 1, 9, 64, 64, Decoder.FULL))))
        .hasMessageContaining("steps must be in 1..8, got 9");
    assertThatThrownBy(() -> pipeline.encodeText(List.of(new Generation("x", "a cat", 1, 0, 64, 64, Decoder.FULL))))
        .hasMessageContaining("got 0");
  }

  @Test
  void tokenizesWhenTheCallerDidNotAndReportsTruncation() {
    Generation g = new Generation("x", "red fox ".repeat(60), 1, 1, 64, 64, Decoder.FAST);
    pipeline.runToCompletion(List.of(g));
    assertThat(g.truncatedTokens()).isEqualTo(45);
    assertThat(g.image().width()).isEqualTo(64);
    assertThat(g.image().rgb()).hasSize(64 * 64 * 3);
  }

  @Test
  void releaseFreesAGenerationDroppedMidWayAndIsIdempotent() {
    Generation g = new Generation("x", "a cat", 1, 4, 64, 64, Decoder.FULL);
    pipeline.encodeText(List.of(g));
    pipeline.unetStep(List.of(g));
    GenerationState state = g.state();
    g.release();
    g.release();
    assertThat(g.state()).isNull();
    assertThat(state.latents.isReleased()).isTrue();
  }

  @Test
  void refusesMixedSizesInOneUnetCall() {
    Generation a = new Generation("a", "a cat", 1, 2, 64, 64, Decoder.FULL);
    Generation b = new Generation("b", "a dog", 2, 2, 128, 128, Decoder.FULL);
    pipeline.encodeText(List.of(a, b));
    assertThatThrownBy(() -> pipeline.unetStep(List.of(a, b))).hasMessageContaining("one size per call");
    a.release();
    b.release();
  }
}
