package dev.vegart.gateway.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records that Kafka acknowledged jobs ({@code jobs.published_at}), off the submit's answer and in batches: one
 * {@code UPDATE} at a time marks every job acknowledged while the previous one ran, so a burst costs a few
 * commits, not one per submit. Nothing waits for a mark: a late or lost one (the gateway stopped, PostgreSQL
 * refused it) only lets the {@link dev.vegart.gateway.kafka.OutboxRelay} publish that job again once it is older
 * than {@code VEGART_RELAY_MIN_AGE}, a duplicate that workers and the event applier already tolerate (the first
 * terminal event wins). Thread-safe.
 */
public final class PublishedMarks {
  private static final Logger LOG = LoggerFactory.getLogger(PublishedMarks.class);
  private static final int MAX_BATCH = 500;

  private final JobStore store;
  private final Queue<String> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  public PublishedMarks(JobStore store) {
    this.store = store;
  }

  /** Marks the job as published, soon. */
  public void add(String jobId) {
    pending.add(jobId);
    flush();
  }

  /** Starts one batch unless one is running; the running one starts the next when it ends. */
  private void flush() {
    if (pending.isEmpty() || !flushing.compareAndSet(false, true)) {
      return;
    }
    List<String> batch = new ArrayList<>();
    for (String id = pending.poll(); id != null; id = batch.size() < MAX_BATCH ? pending.poll() : null) {
      batch.add(id);
    }
    if (batch.isEmpty()) {
      flushing.set(false);
      return;
    }
    store.markPublished(batch)
        .onFailure(e -> LOG.warn("{} job(s) not marked as published; the outbox relay will publish them again: {}",
            batch.size(), e.toString()))
        .onComplete(r -> {
          flushing.set(false);
          flush();
        });
  }
}
