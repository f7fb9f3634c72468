package dev.vegart.worker.scheduling.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** No batching: one job at a time, first come first served, run to completion. */
public final class NoBatchingPlanner extends RunToCompletionPlanner {
  private final Deque<Job> queue = new ArrayDeque<>();

  @Override
  public void add(Job job) {
    queue.add(job);
  }

  @Override
  protected void dequeue(Job job) {
    queue.remove(job);
  }

  @Override
  protected Optional<Selection> select(long nowNanos) {
    Job next = queue.poll();
    return next == null ? Optional.empty() : Optional.of(new Selection(List.of(next), "single"));
  }

  @Override
  public long wakeAtNanos() {
    return Long.MAX_VALUE;
  }
}
