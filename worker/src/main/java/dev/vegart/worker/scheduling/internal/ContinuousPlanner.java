package dev.vegart.worker.scheduling.internal;

import dev.vegart.common.job.Decoder;
import dev.vegart.worker.scheduling.Stage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntBinaryOperator;

/**
 * Step-level continuous batching. At every device iteration, in this order:
 * <ol>
 *   <li>text-encode waiting jobs if a lane has a UNet slot no encoded item can fill (so newcomers join
 *       the very next step), taking all that fit, oldest first, up to the max batch;</li>
 *   <li>decode a group of finished images (one size, one decoder) if it is due: a full batch; or nothing
 *       else waits to start (latency first when there is no backlog); or its oldest image has waited
 *       {@code decodeMaxWait} (under backlog, finished images wait for batch-mates, but not forever);</li>
 *   <li>one UNet step for the lane whose oldest active job is oldest, over all its active items, each at
 *       its own step (mixed step counts share the call);</li>
 *   <li>otherwise decode the oldest finished group (the device would idle).</li>
 * </ol>
 * No request starves: lanes are served oldest-first, slots are filled FIFO, and decode groups are bounded
 * by size and wait. See DESIGN.md for why and for the measured comparison.
 */
public final class ContinuousPlanner implements BatchPlanner {
  private record DecodeKey(SizeKey size, Decoder decoder) {}

  private final IntBinaryOperator maxBatch;
  private final int textMaxBatch;
  private final long decodeMaxWaitNanos;
  private final Deque<Job> pending = new ArrayDeque<>();
  private final Map<SizeKey, Lane> lanes = new LinkedHashMap<>();
  private final Map<DecodeKey, List<Item>> finished = new LinkedHashMap<>();

  public ContinuousPlanner(IntBinaryOperator maxBatch, int textMaxBatch, long decodeMaxWaitNanos) {
    this.maxBatch = maxBatch;
    this.textMaxBatch = textMaxBatch;
    this.decodeMaxWaitNanos = decodeMaxWaitNanos;
  }

  @Override
  public void add(Job job) {
    pending.add(job);
    lane(SizeKey.of(job)).pendingJobs++;
  }

  @Override
  public void remove(Job job) {
    Lane lane = lane(SizeKey.of(job));
    if (pending.remove(job)) {
      lane.pendingJobs--;
    }
    lane.removeJob(job);
    for (Iterator<List<Item>> it = finished.values().iterator(); it.hasNext(); ) {
      List<Item> group = it.next();
      group.removeIf(i -> i.job() == job);
      if (group.isEmpty()) {
        it.remove();
      }
    }
  }

  @Override
  public Optional<Dispatch> next(long nowNanos) {
    Optional<Dispatch> text = textEncode();
    if (text.isPresent()) {
      return text;
    }
    Optional<Dispatch> decode = dueDecode(nowNanos);
    if (decode.isPresent()) {
      return decode;
    }
    Optional<Dispatch> step = unetStep();
    if (step.isPresent()) {
      return step;
    }
    return oldestDecode("idle");
  }

  private Optional<Dispatch> textEncode() {
    boolean needed = lanes.values().stream().anyMatch(l -> l.pendingJobs > 0 && l.unfilledSlots() > 0);
    if (!needed) {
      return Optional.empty();
    }
    Map<SizeKey, Integer> room = new HashMap<>();
    lanes.forEach((size, lane) -> room.put(size, lane.encodeRoom()));
    List<Item> batch = new ArrayList<>();
    for (Job job : pending) {
      if (!batch.isEmpty() && batch.size() + job.images() > textMaxBatch) {
        break;
      }
      SizeKey size = SizeKey.of(job);
      int left = room.get(size);
      if (left > 0) {
        batch.addAll(job.items());
        room.put(size, left - job.images());
      }
    }
    return batch.isEmpty() ? Optional.empty() : Optional.of(new Dispatch(Stage.TEXT_ENCODE, batch, "arrival"));
  }

  private Optional<Dispatch> dueDecode(long now) {
    for (Map.Entry<DecodeKey, List<Item>> e : finished.entrySet()) {
      if (e.getValue().size() >= maxBatch(e.getKey().size())) {
        return Optional.of(decode(e.getKey(), e.getValue(), "full_batch"));
      }
    }
    if (finished.isEmpty()) {
      return Optional.empty();
    }
    boolean backlog = !pending.isEmpty() || lanes.values().stream().anyMatch(l -> !l.ready.isEmpty());
    if (!backlog) {
      return oldestDecode("no_backlog");
    }
    Optional<Dispatch> oldest = oldestDecode("max_wait");
    boolean waitedEnough = oldest.isPresent() && now - oldest.get().items().get(0).finishedStepsNanos() >= decodeMaxWaitNanos;
    return waitedEnough ? oldest : Optional.empty();
  }

  private Optional<Dispatch> unetStep() {
    Lane chosen = null;
    for (Lane lane : lanes.values()) {
      if (!lane.active.isEmpty() && (chosen == null || lane.oldestActiveAdmission() < chosen.oldestActiveAdmission())) {
        chosen = lane;
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    String reason = chosen.active.size() >= chosen.maxBatch ? "full_batch" : "step";
    return Optional.of(new Dispatch(Stage.UNET_STEP, chosen.active, reason));
  }

  private Optional<Dispatch> oldestDecode(String reason) {
    DecodeKey oldest = null;
    long oldestAt = Long.MAX_VALUE;
    for (Map.Entry<DecodeKey, List<Item>> e : finished.entrySet()) {
      long at = e.getValue().get(0).finishedStepsNanos();
      if (at < oldestAt) {
        oldest = e.getKey();
        oldestAt = at;
      }
    }
    return oldest == null ? Optional.empty() : Optional.of(decode(oldest, finished.get(oldest), reason));
  }

  private Dispatch decode(DecodeKey key, List<Item> group, String reason) {
    int n = Math.min(group.size(), maxBatch(key.size()));
    return new Dispatch(Stage.decodeWith(key.decoder()), group.subList(0, n), reason);
  }

  @Override
  public void ran(Dispatch done, long nowNanos) {
    switch (done.stage()) {
      case TEXT_ENCODE -> encoded(done.items());
      case UNET_STEP -> stepped(done.items());
      case DECODE_FULL, DECODE_FAST -> decoded(done.items());
    }
  }

  private void encoded(List<Item> items) {
    for (Item item : items) {
      Job job = item.job();
      if (pending.remove(job)) {
        lane(SizeKey.of(job)).pendingJobs--;
      }
      lane(SizeKey.of(item)).ready.add(item);
    }
    lanes.values().forEach(Lane::fillSlots);
  }

  private void stepped(List<Item> items) {
    for (Item item : items) {
      if (item.stepsDone()) {
        Lane lane = lane(SizeKey.of(item));
        lane.active.remove(item);
        finished.computeIfAbsent(new DecodeKey(lane.size, item.decoder()), k -> new ArrayList<>()).add(item);
      }
    }
    lanes.values().forEach(Lane::fillSlots);
  }

  private void decoded(List<Item> items) {
    for (Item item : items) {
      DecodeKey key = new DecodeKey(SizeKey.of(item), item.decoder());
      List<Item> group = finished.get(key);
      if (group != null) {
        group.remove(item);
        if (group.isEmpty()) {
          finished.remove(key);
        }
      }
    }
  }

  @Override
  public long wakeAtNanos() {
    // Never waits while it holds runnable work: anything finished is decoded when the device would idle.
    return Long.MAX_VALUE;
  }

  private Lane lane(SizeKey size) {
    return lanes.computeIfAbsent(size, s -> new Lane(s, maxBatch(s)));
  }

  private int maxBatch(SizeKey size) {
    return Math.max(1, maxBatch.applyAsInt(size.width(), size.height()));
  }
}
