package dev.vegart.worker.scheduling;

import dev.vegart.worker.pipeline.Pipeline;
import dev.vegart.worker.scheduling.internal.BatchPlanner;
import dev.vegart.worker.scheduling.internal.BucketPlanner;
import dev.vegart.worker.scheduling.internal.ContinuousPlanner;
import dev.vegart.worker.scheduling.internal.JobObserver;
import dev.vegart.worker.scheduling.internal.NoBatchingPlanner;
import dev.vegart.worker.scheduling.internal.SchedulerCore;
import dev.vegart.worker.scheduling.internal.SchedulerMetrics;
import dev.vegart.worker.scheduling.internal.ThreadedDeviceScheduler;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Builds device schedulers from configuration. Production: {@link #forPipeline}; simulations build a
 * {@link SchedulerCore} with {@link #core} on a virtual clock, so both run the same policy code.
 */
public final class DeviceSchedulers {
  private DeviceSchedulers() {}

  /** A scheduler running the DJL pipeline on its own device thread (call {@link DeviceScheduler#start()}). */
  public static DeviceScheduler forPipeline(SchedulerConfig config, Pipeline pipeline, MeterRegistry registry) {
    return create(config, new PipelineStageExecutor(pipeline), SchedulerClock.system(), registry);
  }

  /** A scheduler running {@code executor} on its own device thread (call {@link DeviceScheduler#start()}). */
  public static DeviceScheduler create(SchedulerConfig config, StageExecutor executor, SchedulerClock clock,
      MeterRegistry registry) {
    SchedulerMetrics metrics = new SchedulerMetrics(registry);
    return new ThreadedDeviceScheduler(
        observer -> core(config, executor, clock, metrics, observer),
        clock, config.maxQueuedImages(), "vegart-device-" + config.policy().wire());
  }

  /** The scheduler core for {@code config}, to be driven by one thread (a device thread or a simulation). */
  public static SchedulerCore core(SchedulerConfig config, StageExecutor executor, SchedulerClock clock,
      SchedulerMetrics metrics, JobObserver observer) {
    return new SchedulerCore(planner(config), executor, clock, metrics, config::maxBatchFor, observer);
  }

  static BatchPlanner planner(SchedulerConfig config) {
    return switch (config.policy()) {
      case NONE -> new NoBatchingPlanner();
      case BUCKET -> new BucketPlanner(config::maxBatchFor, config.maxBatchDelay().toNanos());
      case CONTINUOUS -> new ContinuousPlanner(config::maxBatchFor, config.maxBatchSize(),
          config.decodeMaxWait().toNanos());
    };
  }
}
