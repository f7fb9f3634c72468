package dev.vegart.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.gateway.http.ProblemException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  @Test
  void refusedSubmissionsAreCountedByABoundedReason() {
    assertThat(RequestObserver.reason(401, ProblemException.unauthorized("x"))).isEqualTo("auth");
    assertThat(RequestObserver.reason(429, null)).isEqualTo("quota");
    assertThat(RequestObserver.reason(503, new ProblemException(503, "overloaded", "t", "d", List.of(), Map.of())))
        .isEqualTo("overload");
    assertThat(RequestObserver.reason(503, ProblemException.unavailable("down", 5))).isEqualTo("unavailable");
    assertThat(RequestObserver.reason(400, null)).isEqualTo("validation");
    assertThat(RequestObserver.reason(415, null)).isEqualTo("validation");
    assertThat(RequestObserver.reason(500, new IllegalStateException())).isEqualTo("unavailable");
  }

  @Test
  void exposesPrometheusNamesAndNeverUnboundedLabels() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GatewayMetrics metrics = new GatewayMetrics(registry);
    metrics.submitted();
    metrics.accepted("free");
    metrics.rejected("quota");
    metrics.rejected("something a client made up");
    metrics.jobEnded("succeeded", Duration.ofSeconds(3));
    metrics.jobEnded("progress", Duration.ofSeconds(3));
    metrics.webhookDelivery("delivered", 20_000_000);
    metrics.webhookDelivery("weird", 20_000_000);
    String text = registry.scrape();
    assertThat(text).contains("vegart_jobs_submitted_total 1.0")
        .contains("vegart_jobs_accepted_total{tier=\"free\"} 1.0")
        .contains("vegart_jobs_rejected_total{reason=\"quota\"} 1.0")
        .contains("vegart_jobs_rejected_total{reason=\"unavailable\"} 1.0")
        .contains("vegart_jobs_rejected_total{reason=\"auth\"} 0.0")
        .contains("vegart_job_duration_seconds_bucket{status=\"succeeded\",le=\"5.0\"} 1")
        .contains("vegart_job_duration_seconds_count{status=\"failed\"} 0")
        .contains("vegart_webhook_deliveries_total{outcome=\"delivered\"} 1.0")
        .contains("vegart_webhook_deliveries_total{outcome=\"failed\"} 1.0")
        .contains("vegart_webhook_delivery_seconds_count{outcome=\"delivered\"} 1")
        .doesNotContain("made up").doesNotContain("progress").doesNotContain("weird");
  }
}
