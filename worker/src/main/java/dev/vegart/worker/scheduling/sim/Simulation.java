package dev.vegart.worker.scheduling.sim;

import dev.vegart.worker.scheduling.internal.SchedulerCore;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The simulation driver of a {@link SchedulerCore}: the same core the device thread drives in production,
 * fed by timed events (arrivals, cancellations) on a {@link VirtualClock}. Like the device thread, it
 * applies events that are due between device calls and, when the core has nothing to run, waits (here:
 * jumps) to the next event or the core's wake-up time.
 */
public final class Simulation {
  private record Event(long atNanos, long seq, Consumer<SchedulerCore> action) {}

  private final SchedulerCore core;
  private final VirtualClock clock;
  private final PriorityQueue<Event> events = new PriorityQueue<>(
      Comparator.comparingLong(Event::atNanos).thenComparingLong(Event::seq));
  private long seq;

  public Simulation(SchedulerCore core, VirtualClock clock) {
    this.core = core;
    this.clock = clock;
  }

  /** Schedules {@code action} (e.g. an admission or a cancel) at {@code atNanos} on the virtual clock. */
  public void at(long atNanos, Consumer<SchedulerCore> action) {
    events.add(new Event(atNanos, seq++, action));
  }

  /**
   * Runs until every event has happened and the core holds no job.
   *
   * @throws IllegalStateException if the core holds jobs but will never run them (a starvation bug)
   */
  public void run() {
    while (true) {
      while (!events.isEmpty() && events.peek().atNanos() <= clock.nanos()) {
        events.poll().action().accept(core);
      }
      if (core.runOnce()) {
        continue;
      }
      long next = Math.min(events.isEmpty() ? Long.MAX_VALUE : events.peek().atNanos(), core.wakeAtNanos());
      if (next == Long.MAX_VALUE) {
        if (core.heldJobs() > 0) {
          throw new IllegalStateException("scheduler holds " + core.heldJobs() + " jobs but has nothing to run");
        }
        return;
      }
      if (next <= clock.nanos()) {
        throw new IllegalStateException("scheduler asked to wake at a passed time but ran nothing");
      }
      clock.advanceTo(next);
    }
  }
}
