package dev.vegart.worker.scheduling.internal;

import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.Admission;
import java.util.ArrayList;
import java.util.List;

/** One admitted job and its scheduling state. Confined to the device thread. */
public final class Job {
  private final Admission admission;
  private final long admittedNanos;
  private final long deadlineNanos;
  private final List<Item> items;
  private boolean started;
  private boolean ended;

  Job(Admission admission, long admittedNanos, long deadlineNanos) {
    this.admission = admission;
    this.admittedNanos = admittedNanos;
    this.deadlineNanos = deadlineNanos;
    List<Item> list = new ArrayList<>();
    for (Generation g : admission.generations()) {
      list.add(new Item(this, g));
    }
    this.items = List.copyOf(list);
  }

  public Admission admission() {
    return admission;
  }

  public String id() {
    return admission.jobId();
  }

  public List<Item> items() {
    return items;
  }

  public int images() {
    return items.size();
  }

  public int width() {
    return admission.width();
  }

  public int height() {
    return admission.height();
  }

  /** Steps of the job's generations (the admission contract: all of one step count). */
  public int steps() {
    return items.get(0).generation().steps();
  }

  public long admittedNanos() {
    return admittedNanos;
  }

  /** When the job expires if not started; {@link Long#MAX_VALUE} for never. */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  public boolean started() {
    return started;
  }

  void markStarted() {
    started = true;
  }

  public boolean ended() {
    return ended;
  }

  void markEnded() {
    ended = true;
  }

  boolean allDecoded() {
    return items.stream().allMatch(Item::decoded);
  }
}
