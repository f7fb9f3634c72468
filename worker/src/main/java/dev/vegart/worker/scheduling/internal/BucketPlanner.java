package dev.vegart.worker.scheduling.internal;

import dev.vegart.common.job.Decoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntBinaryOperator;

/**
 * Bucket batching: jobs wait in buckets of equal (size, steps, decoder); when the device is free, the bucket
 * whose oldest job is oldest among those that are full or have waited {@code maxDelay} runs, up to the
 * max batch, to completion.
 */
public final class BucketPlanner extends RunToCompletionPlanner {
  private record BucketKey(int width, int height, int steps, Decoder decoder) {
    static BucketKey of(Job job) {
      return new BucketKey(job.width(), job.height(), job.steps(), job.items().get(0).decoder());
    }
  }

  private final IntBinaryOperator maxBatch;
  private final long maxDelayNanos;
  private final Map<BucketKey, Deque<Job>> buckets = new LinkedHashMap<>();

  public BucketPlanner(IntBinaryOperator maxBatch, long maxDelayNanos) {
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelayNanos;
  }

  @Override
  public void add(Job job) {
    buckets.computeIfAbsent(BucketKey.of(job), k -> new ArrayDeque<>()).add(job);
  }

  @Override
  protected void dequeue(Job job) {
    Deque<Job> bucket = buckets.get(BucketKey.of(job));
    if (bucket != null) {
      bucket.remove(job);
    }
  }

  @Override
  protected Optional<Selection> select(long nowNanos) {
    BucketKey best = null;
    boolean bestFull = false;
    for (Map.Entry<BucketKey, Deque<Job>> e : buckets.entrySet()) {
      Deque<Job> bucket = e.getValue();
      if (bucket.isEmpty()) {
        continue;
      }
      boolean full = images(bucket) >= limit(e.getKey());
      boolean due = nowNanos - bucket.peek().admittedNanos() >= maxDelayNanos;
      if ((full || due) && (best == null
          || bucket.peek().admittedNanos() < buckets.get(best).peek().admittedNanos())) {
        best = e.getKey();
        bestFull = full;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    Deque<Job> bucket = buckets.get(best);
    List<Job> batch = new ArrayList<>();
    int images = 0;
    while (!bucket.isEmpty() && (batch.isEmpty() || images + bucket.peek().images() <= limit(best))) {
      Job job = bucket.poll();
      batch.add(job);
      images += job.images();
    }
    return Optional.of(new Selection(batch, bestFull ? "full_batch" : "max_delay"));
  }

  @Override
  public long wakeAtNanos() {
    long wake = Long.MAX_VALUE;
    for (Deque<Job> bucket : buckets.values()) {
      if (!bucket.isEmpty()) {
        wake = Math.min(wake, bucket.peek().admittedNanos() + maxDelayNanos);
      }
    }
    return wake;
  }

  private int limit(BucketKey key) {
    return Math.max(1, maxBatch.applyAsInt(key.width(), key.height()));
  }

  private static int images(Deque<Job> bucket) {
    int n = 0;
    for (Job job : bucket) {
      n += job.images();
    }
    return n;
  }
}
