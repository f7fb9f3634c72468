package dev.vegart.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vegart.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PipelineBenchmarkTest {

  @Test
  void parsesTheDocumentedOptions() {
    BenchmarkOptions o = BenchmarkOptions.parse("--model-dir", "m", "--device", "cuda:1", "--batch-sizes", "1, 4,8",
        "--steps", "2", "--size", "1152x896", "--format", "webp", "--decoder", "fast", "--threads", "1");
    assertThat(o.batchSizes()).containsExactly(1, 4, 8);
    assertThat(o.width()).isEqualTo(1152);
    assertThat(o.height()).isEqualTo(896);
    assertThat(o.device()).isEqualTo("cuda:1");
    assertThat(o.out()).isEqualTo(Path.of("bench-results", "pipeline.json"));
  }

  @Test
  void refusesMissingModelDirAndUnknownOptions() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--steps", "4")).hasMessageContaining("--model-dir is required");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--model-dir", "m", "--speed", "11"))
        .hasMessageContaining("unknown option --speed");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--model-dir", "m", "--size", "1024")).hasMessageContaining("WxH");
  }

  @Test
  void timesEveryStageAndWritesTheKeysBenchReferenceReads() throws Exception {
    Path model = Path.of("..", "models", "tiny-random");
    Path out = Files.createTempDirectory("bench").resolve("pipeline.json");
    PipelineBenchmark.main(new String[] {"--model-dir", model.toString(), "--batch-sizes", "1,2", "--steps", "2",
        "--size", "64x64", "--iterations", "1", "--warmup", "0", "--out", out.toString()});
    JsonNode report = Json.MAPPER.readTree(out.toFile());
    assertThat(report.get("machine").get("cores").asInt()).isPositive();
    assertThat(report.get("results")).hasSize(2);
    JsonNode row = report.get("results").get(1);
    assertThat(row.get("batch_size").asInt()).isEqualTo(2);
    for (String key : new String[] {"tokenize_ms", "text_ms", "unet_step_ms", "decode_ms", "encode_ms_per_image",
        "end_to_end_ms", "images_per_second"}) {
      assertThat(row.get(key).asDouble()).as(key).isPositive();
    }
  }
}
