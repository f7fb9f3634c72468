package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The scheduler's meters as Prometheus scrapes them: names, units, labels, and values that moved. */
class SchedulerMetricsTest {

  @Test
  void exposesBatchSizeDispatchReasonQueueWaitStageLatencyAndBusyTime() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SimHarness sim = new SimHarness(SimHarness.config(SchedulingPolicy.CONTINUOUS), registry);
    for (int i = 0; i < 16; i++) {
      sim.job("j" + i, i * 10, 4);
    }
    sim.run();
    String scrape = registry.scrape();

    assertThat(scrape).contains("vegart_worker_batch_size_images_count{stage=\"unet_step\"}");
    assertThat(scrape).contains("vegart_worker_batch_size_images_bucket{stage=\"unet_step\",le=\"8.0\"}");
    assertThat(scrape).containsPattern("vegart_worker_batch_dispatches_total\\{reason=\"[a-z_]+\",stage=\"decode_full\"}");
    assertThat(scrape).contains("vegart_worker_queue_wait_seconds_count 16");
    assertThat(scrape).contains("vegart_worker_stage_duration_seconds_bucket{stage=\"unet_step\"");
    assertThat(scrape).contains("vegart_worker_scheduler_jobs_total{outcome=\"succeeded\"} 16");
    double busy = registry.get("vegart.worker.device.busy").functionCounter().count();
    assertThat(busy).isCloseTo(sim.device.calls.stream().mapToLong(c -> c.endNanos() - c.startNanos()).sum() / 1e9,
        org.assertj.core.api.Assertions.within(1e-6));
    assertThat(scrape).contains("vegart_worker_device_busy_seconds_total");
  }
}
