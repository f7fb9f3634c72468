package dev.vegart.worker.scheduling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerBenchmarkTest {

  @Test
  void writesOneResultPerPolicyLoadAndMixInTheIssuesShape(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench-results/scheduler.json");
    SchedulerBenchmark.main(new String[] {"--out", out.toString(), "--requests", "200"});

    JsonNode root = new ObjectMapper().readTree(out.toFile());
    assertThat(fieldNames(root)).containsExactly("capacity_images_per_s", "results");
    assertThat(root.get("capacity_images_per_s").asDouble()).isBetween(8.0, 10.0);
    JsonNode results = root.get("results");
    assertThat(results).hasSize(3 * 5 * 2);
    Set<String> cells = new HashSet<>();
    for (JsonNode r : results) {
      assertThat(fieldNames(r)).containsExactly("policy", "load", "mix", "throughput_images_per_s", "p50_ms", "p95_ms",
          "p99_ms");
      assertThat(r.get("policy").asText()).isIn("none", "bucket", "continuous");
      assertThat(r.get("mix").asText()).isIn("one-size", "two-sizes");
      assertThat(r.get("p50_ms").asDouble()).isPositive().isLessThanOrEqualTo(r.get("p95_ms").asDouble());
      assertThat(r.get("p95_ms").asDouble()).isLessThanOrEqualTo(r.get("p99_ms").asDouble());
      cells.add(r.get("policy").asText() + r.get("load").asDouble() + r.get("mix").asText());
    }
    assertThat(cells).hasSize(30);
  }

  @Test
  void arrivalsHaveExactlyTheOfferedMeanRateAndTheStepMix() {
    Workload w = Workload.poisson("two-sizes", 4.0, 4000, 1);

    double span = w.requests().get(w.requests().size() - 1).arrivalNanos() / 1e9;
    assertThat(w.requests().size() / span).isBetween(3.98, 4.02);
    assertThat(w.requests().stream().map(Workload.Request::steps).distinct()).containsExactlyInAnyOrder(2, 4, 8);
    assertThat(w.requests().stream().map(Workload.Request::size).distinct()).hasSize(2);
    assertThat(w.requests()).isSortedAccordingTo((a, b) -> Long.compare(a.arrivalNanos(), b.arrivalNanos()));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
