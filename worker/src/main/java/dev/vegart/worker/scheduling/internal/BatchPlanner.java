package dev.vegart.worker.scheduling.internal;

import java.util.Optional;

/**
 * A batching policy: decides which device call runs next. Pure bookkeeping on the device thread; the
 * {@link SchedulerCore} runs the calls, advances item state, and reports outcomes.
 *
 * <p>Contract: every item of an added job is eventually part of a dispatch for each stage it still needs
 * (text once, UNet until its steps are done, decode once), unless its job is removed; {@link #next}
 * returns empty only when nothing can run before {@link #wakeAtNanos}.
 */
public interface BatchPlanner {
  /** A job was admitted. */
  void add(Job job);

  /** A job left (canceled, expired, failed, or succeeded): forget all its items. */
  void remove(Job job);

  /** The next device call, or empty when the device should wait (for arrivals or until {@link #wakeAtNanos}). */
  Optional<Dispatch> next(long nowNanos);

  /** The dispatch ran for {@code done} (its items whose jobs are still held); their state is already advanced. */
  void ran(Dispatch done, long nowNanos);

  /** When a waiting batch becomes due although nothing arrives; {@link Long#MAX_VALUE} for never. */
  long wakeAtNanos();
}
