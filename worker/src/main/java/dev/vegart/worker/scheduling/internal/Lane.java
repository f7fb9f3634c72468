package dev.vegart.worker.scheduling.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The continuous policy's state for one size: {@code active} items share every UNet call of the lane
 * (at most {@code maxBatch}); {@code ready} items are text-encoded and take the next free slot.
 */
final class Lane {
  final SizeKey size;
  final int maxBatch;
  final List<Item> active = new ArrayList<>();
  final Deque<Item> ready = new ArrayDeque<>();
  /** Jobs of this size admitted and not yet text-encoded. */
  int pendingJobs;

  Lane(SizeKey size, int maxBatch) {
    this.size = size;
    this.maxBatch = maxBatch;
  }

  /** Moves ready items into free slots, oldest first: the join point of continuous batching. */
  void fillSlots() {
    while (active.size() < maxBatch && !ready.isEmpty()) {
      active.add(ready.poll());
    }
  }

  /** Slots no encoded item can fill: each is a step that would run below the lane's max batch. */
  int unfilledSlots() {
    return Math.max(0, maxBatch - active.size() - ready.size());
  }

  /** How many more items may be encoded ahead of a free slot (at most one batch waits encoded). */
  int encodeRoom() {
    return Math.max(0, 2 * maxBatch - active.size() - ready.size());
  }

  long oldestActiveAdmission() {
    long oldest = Long.MAX_VALUE;
    for (Item item : active) {
      oldest = Math.min(oldest, item.job().admittedNanos());
    }
    return oldest;
  }

  void removeJob(Job job) {
    active.removeIf(i -> i.job() == job);
    ready.removeIf(i -> i.job() == job);
    fillSlots();
  }
}
