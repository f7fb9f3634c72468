package dev.vegart.worker.scheduling.internal;

import dev.vegart.worker.scheduling.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's meters. Prometheus names (Micrometer appends units and {@code _total}):
 * {@code vegart_worker_batch_size_images} (histogram, by stage), {@code vegart_worker_batch_dispatches_total}
 * (by stage and dispatch reason), {@code vegart_worker_queue_wait_seconds} (admission to first device call),
 * {@code vegart_worker_stage_duration_seconds} (one device call, by stage: UNet step and decode latency),
 * {@code vegart_worker_device_busy_seconds_total} (rate() of it is the busy share),
 * {@code vegart_worker_scheduler_jobs_total} (by outcome). Updated on the device thread only.
 */
public final class SchedulerMetrics {
  private static final double[] BATCH_BUCKETS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64};

  private final MeterRegistry registry;
  private final Map<Stage, DistributionSummary> batchSize = new EnumMap<>(Stage.class);
  private final Map<Stage, Timer> stageDuration = new EnumMap<>(Stage.class);
  private final Map<String, Counter> dispatches = new HashMap<>();
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final Timer queueWait;
  private final AtomicLong busyNanos = new AtomicLong();

  public SchedulerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Stage stage : Stage.values()) {
      batchSize.put(stage, DistributionSummary.builder("vegart.worker.batch.size")
          .description("Images per device call")
          .baseUnit("images")
          .tag("stage", stage.tag())
          .serviceLevelObjectives(BATCH_BUCKETS)
          .register(registry));
      stageDuration.put(stage, Timer.builder("vegart.worker.stage.duration")
          .description("Duration of one device call")
          .tag("stage", stage.tag())
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry));
    }
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(outcome, Counter.builder("vegart.worker.scheduler.jobs")
          .description("Jobs that left the device scheduler, by outcome")
          .tag("outcome", outcome.tag())
          .register(registry));
    }
    queueWait = Timer.builder("vegart.worker.queue.wait")
        .description("Wait from admission to the job's first device call")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
    FunctionCounter.builder("vegart.worker.device.busy", busyNanos, n -> n.get() / 1e9)
        .description("Device time spent in stage calls; its rate is the busy share")
        .baseUnit("seconds")
        .register(registry);
  }

  void call(Stage stage, String reason, int images, long nanos) {
    batchSize.get(stage).record(images);
    stageDuration.get(stage).record(nanos, TimeUnit.NANOSECONDS);
    dispatches.computeIfAbsent(stage.tag() + '/' + reason, k -> Counter.builder("vegart.worker.batch.dispatches")
        .description("Device calls by stage and the reason they were dispatched")
        .tag("stage", stage.tag())
        .tag("reason", reason)
        .register(registry)).increment();
    busyNanos.addAndGet(nanos);
  }

  void queueWait(long nanos) {
    queueWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  void ended(Outcome outcome) {
    outcomes.get(outcome).increment();
  }

  /** Device time spent in calls so far. */
  public long busyNanos() {
    return busyNanos.get();
  }
}
