package dev.vegart.worker.scheduling.internal;

/** What a driver of the {@link SchedulerCore} learns about job lifecycles (counters, drain); device thread. */
public interface JobObserver {
  JobObserver NONE = new JobObserver() {};

  /** The job's first device call is about to run. */
  default void started(Job job) {}

  /** The job left with {@code outcome}, after its listener was told. */
  default void ended(Job job, Outcome outcome) {}
}
