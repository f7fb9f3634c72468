package dev.vegart.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vegart.common.job.Decoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Java pipeline vs deploy/model/reference.py on models/tiny-random: every latent, then the image. */
class PipelineGoldenTest {
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
  void everyIntermediateLatentIsWithin1e5OfTheReference() {
    int compared = 0;
    for (JsonNode run : Golden.read("pipeline.json")) {
      Generation g = generation(run);
      pipeline.encodeText(List.of(g));
      JsonNode latents = run.get("latents");
      assertThat(latents.size()).isEqualTo(g.steps() + 1);
      float[] initial = new TorchGenerator(g.seed()).randn(4 * g.width() / 8 * g.height() / 8);
      assertMaxAbsDiff(initial, Golden.floats(latents.get(0)), 0f, run + " initial");
      for (int step = 1; step <= g.steps(); step++) {
        pipeline.unetStep(List.of(g));
        assertMaxAbsDiff(g.state().latents.toFloatArray(), Golden.floats(latents.get(step)), 1e-5f,
            "seed " + g.seed() + " after step " + step);
        compared++;
      }
      pipeline.decode(List.of(g));
    }
    assertThat(compared).isEqualTo(4 + 8 + 1 + 2);
  }

  @Test
  void imagesDifferFromTheReferenceByAtMostOnePerChannel() throws IOException {
    for (JsonNode run : Golden.read("pipeline.json")) {
      Generation g = generation(run);
      pipeline.runToCompletion(List.of(g));
      BufferedImage expected = ImageIO.read(new ByteArrayInputStream(Golden.bytes(run.get("image").asText())));
      byte[] rgb = g.image().rgb();
      int maxDiff = 0;
      for (int y = 0; y < g.height(); y++) {
        for (int x = 0; x < g.width(); x++) {
          int e = expected.getRGB(x, y);
          int i = (y * g.width() + x) * 3;
          maxDiff = Math.max(maxDiff, Math.abs((rgb[i] & 0xff) - ((e >> 16) & 0xff)));
          maxDiff = Math.max(maxDiff, Math.abs((rgb[i + 1] & 0xff) - ((e >> 8) & 0xff)));
          maxDiff = Math.max(maxDiff, Math.abs((rgb[i + 2] & 0xff) - (e & 0xff)));
        }
      }
      assertThat(maxDiff).as("image of %s", run.get("image")).isLessThanOrEqualTo(1);
      assertThat(g.state()).as("device state freed after decode").isNull();
    }
  }

  static Generation generation(JsonNode run) {
    return new Generation("golden-" + run.get("seed").asLong(), run.get("prompt").asText(), run.get("seed").asLong(),
        run.get("steps").asInt(), run.get("width").asInt(), run.get("height").asInt(),
        Decoder.parse(run.get("decoder").asText()).orElseThrow());
  }

  private static void assertMaxAbsDiff(float[] actual, float[] expected, float tolerance, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    float max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    assertThat(max).as(what + ": max |java - python|").isLessThanOrEqualTo(tolerance);
  }
}
