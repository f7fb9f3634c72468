package dev.vegart.worker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  @Test
  void exposesPrometheusNamesWithUnits() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean ready = new AtomicBoolean();
    WorkerMetrics metrics = new WorkerMetrics(registry, ready::get);
    metrics.imagesGenerated(3);
    metrics.encoded(2_000_000);
    metrics.uploaded(30_000_000, true);
    metrics.consumerLag(7);
    String before = registry.scrape();
    ready.set(true);
    String after = registry.scrape();

    assertThat(before).contains("vegart_worker_images_generated_total 3.0")
        .contains("vegart_worker_image_encode_seconds_count 1")
        .contains("vegart_worker_image_upload_seconds_count{outcome=\"stored\"} 1")
        .contains("vegart_worker_image_upload_seconds_bucket{outcome=\"stored\",le=")
        .contains("vegart_worker_consumer_lag_records 7.0")
        .contains("vegart_worker_ready 0.0");
    assertThat(after).contains("vegart_worker_ready 1.0");
  }

  @Test
  void gpuGaugesOnlyForCudaDevices() {
    assertThat(GpuMemoryGauges.cudaDevice("cpu")).isEmpty();
    assertThat(GpuMemoryGauges.cudaDevice("cuda")).map(d -> d.getDeviceId()).contains(0);
    assertThat(GpuMemoryGauges.cudaDevice("cuda:2")).map(d -> d.getDeviceId()).contains(2);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    assertThat(GpuMemoryGauges.register(registry, "cpu")).isFalse();
    assertThat(registry.scrape()).doesNotContain("gpu_memory");
  }
}
