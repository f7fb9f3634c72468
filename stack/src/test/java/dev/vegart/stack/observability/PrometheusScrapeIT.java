package dev.vegart.stack.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package; skipped only when the binary is absent, and .ci/run installs it) scrapes
 * the running stack's gateway and worker on loopback every second with the canonical rules loaded; after real
 * jobs the PromQL answers move as the metrics promise, and the Grafana dashboard's queries run.
 */
class PrometheusScrapeIT {
  private static final Duration SCRAPED = Duration.ofSeconds(30);

  @Test
  void prometheusSeesAcceptedJobsBatchesAndRejectionsAfterRealJobs() throws Exception {
    Optional<Path> binary = PrometheusServer.binary();
    Assumptions.assumeTrue(binary.isPresent(), "no prometheus binary on the PATH (.ci/run installs Debian's package)");
    LocalStack stack = SharedStack.get();
    Http http = new Http(stack.url());
    String key = http.createKey(stack.adminToken(), "free");
    List<String> targets = List.of("vegart-gateway=127.0.0.1:" + URI.create(stack.url()).getPort(),
        "vegart-worker=127.0.0.1:" + stack.worker().httpPort());
    try (PrometheusServer prometheus = PrometheusServer.start(binary.get(), targets, Path.of("../deploy/prometheus/prometheus-rules.yaml"))) {
      prometheus.await("sum(up{job=~\"vegart-gateway|vegart-worker\"})", v -> v == 2, SCRAPED);
      prometheus.await("vegart_worker_ready", v -> v == 1, SCRAPED);
      double accepted = value(prometheus, "sum(vegart_jobs_accepted_total)");
      double unetBatches = value(prometheus, "sum(vegart_worker_batch_size_images_count{stage=\"unet_step\"})");
      double images = value(prometheus, "sum(vegart_worker_images_generated_total)");
      double succeeded = value(prometheus, "sum(vegart_job_duration_seconds_count{status=\"succeeded\"})");
      double validation = value(prometheus, "sum(vegart_jobs_rejected_total{reason=\"validation\"})");
      double auth = value(prometheus, "sum(vegart_jobs_rejected_total{reason=\"auth\"})");

      for (int seed = 1; seed <= 2; seed++) {
        HttpResponse<String> submit = http.postJson("/v1/jobs", "{\"prompt\": \"a blue square\", \"num_inference_steps\": 1, "
            + "\"seed\": " + seed + ", \"width\": 512, \"height\": 512}", key);
        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
        JsonObject done = http.awaitTerminal(new JsonObject(submit.body()).getString("id"), key, Duration.ofSeconds(60));
        assertThat(done.getString("status")).as(done.encode()).isEqualTo("succeeded");
      }
      assertThat(http.postJson("/v1/jobs", "{\"num_inference_steps\": 99}", key).statusCode()).isEqualTo(400);
      assertThat(http.postJson("/v1/jobs", "{\"prompt\": \"x\"}", "not-a-key").statusCode()).isEqualTo(401);

      prometheus.await("sum(vegart_jobs_accepted_total{tier=\"free\"})", v -> v >= accepted + 2, SCRAPED);
      prometheus.await("sum(vegart_worker_batch_size_images_count{stage=\"unet_step\"})", v -> v >= unetBatches + 1, SCRAPED);
      prometheus.await("sum(vegart_worker_images_generated_total)", v -> v >= images + 2, SCRAPED);
      prometheus.await("sum(vegart_job_duration_seconds_count{status=\"succeeded\"})", v -> v >= succeeded + 2, SCRAPED);
      prometheus.await("sum(vegart_jobs_rejected_total{reason=\"validation\"})", v -> v >= validation + 1, SCRAPED);
      prometheus.await("sum(vegart_jobs_rejected_total{reason=\"auth\"})", v -> v >= auth + 1, SCRAPED);
      // Upload latency was observed, queue figures are polled from PostgreSQL, the recording rules evaluate.
      prometheus.await("sum(vegart_worker_image_upload_seconds_count{outcome=\"stored\"})", v -> v >= 2, SCRAPED);
      prometheus.await("vegart:queue_backlog_seconds", v -> v >= 0, SCRAPED);
      prometheus.await("vegart:workers_ready", v -> v == 1, SCRAPED);
      prometheus.await("sum(vegart_quota_used_images{tier=\"free\"})", v -> v >= 2, SCRAPED);

      // Vert.x HTTP metrics: by route template and status, never by path (job ids would be series).
      prometheus.await("sum(vegart_http_server_requests_total{code=\"202\", method=\"POST\"})", v -> v >= 2, SCRAPED);
      JsonArray series = prometheus.query("vegart_http_server_requests_total");
      assertThat(series).isNotEmpty();
      for (Object s : series) {
        Map<String, Object> labels = ((JsonObject) s).getJsonObject("metric").getMap();
        assertThat(labels).containsKeys("route", "code", "method").doesNotContainKey("path");
        assertThat(String.valueOf(labels.get("route"))).doesNotContain("job_");
      }
      // No API key ever becomes a label value.
      assertThat(prometheus.query("{__name__=~\"vegart_.+\"}").encode()).doesNotContain(key);

      // Every query of the Grafana dashboard is valid PromQL on this Prometheus, and the job panels have data.
      List<String> queries = dashboardQueries();
      assertThat(queries).hasSizeGreaterThan(20);
      for (String q : queries) {
        prometheus.query(q);
      }
      assertThat(queries).filteredOn(q -> q.contains("vegart_jobs_accepted_total") || q.contains("vegart_worker_batch_size"))
          .isNotEmpty()
          .allSatisfy(q -> assertThat(prometheus.query(q)).as(q).isNotEmpty());
    }
  }

  /** The dashboard's PromQL with Grafana's variables replaced as Grafana would for "All" and a 1 s scrape. */
  private static List<String> dashboardQueries() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("../deploy/grafana/vegart-dashboard.json")));
    List<String> out = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) p).getJsonArray("targets");
      for (Object t : targets == null ? new JsonArray() : targets) {
        out.add(((JsonObject) t).getString("expr").replace("$namespace", ".*").replace("$__rate_interval", "1m"));
      }
    }
    return out;
  }

  /** A sum that may have no series yet (counters created on first use) reads as 0. */
  private static double value(PrometheusServer prometheus, String sum) throws Exception {
    return prometheus.scalar(sum + " or vector(0)").orElseThrow();
  }
}
