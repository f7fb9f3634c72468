package dev.vegart.worker.scheduling;

import java.time.Instant;

/**
 * The scheduler's sense of time: a monotonic nanosecond counter for waits and durations, and the wall
 * time it corresponds to, for job deadlines. Production uses {@link #system()}; simulations use a
 * virtual clock that only the simulated device and the simulation driver advance.
 */
public interface SchedulerClock {
  long nanos();

  Instant instant();

  static SchedulerClock system() {
    return new SchedulerClock() {
      @Override
      public long nanos() {
        return System.nanoTime();
      }

      @Override
      public Instant instant() {
        return Instant.now();
      }
    };
  }
}
