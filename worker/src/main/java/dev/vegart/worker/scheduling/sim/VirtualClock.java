package dev.vegart.worker.scheduling.sim;

import dev.vegart.worker.scheduling.SchedulerClock;
import java.time.Instant;

/** Simulated time: moves only when the simulated device runs a stage or the simulation skips idle time. */
public final class VirtualClock implements SchedulerClock {
  private final Instant origin;
  private long nanos;

  public VirtualClock(Instant origin) {
    this.origin = origin;
  }

  @Override
  public long nanos() {
    return nanos;
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(nanos);
  }

  public void advance(long byNanos) {
    if (byNanos < 0) {
      throw new IllegalArgumentException("time cannot go back");
    }
    nanos += byNanos;
  }

  /** Moves to {@code atNanos} if that is later than now. */
  public void advanceTo(long atNanos) {
    nanos = Math.max(nanos, atNanos);
  }
}
