package dev.vegart.gateway.api;

import dev.vegart.gateway.jobs.JobRecord;
import dev.vegart.gateway.jobs.JobStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets requests wait, without blocking an event loop, for jobs to end ({@code Prefer: wait}, the Segmind
 * endpoint). A job may end on any gateway (the event applier of another replica, a cancel, the expiry sweep),
 * so waiters are woken by PostgreSQL: a trigger sends {@code NOTIFY vegart_job_ended} with the job id at commit
 * and every gateway LISTENs. Should a notification be lost (the LISTEN connection reconnecting), a poll every
 * {@code pollInterval} of all jobs waited on (one query) catches up. Waiters complete on the context they
 * registered from. Thread-safe.
 */
public final class JobWaiters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobWaiters.class);
  public static final String CHANNEL = "vegart_job_ended";

  private record Waiter(Context context, Promise<Optional<JobRecord>> promise) {}

  private final Vertx vertx;
  private final JobStore store;
  private final Duration pollInterval;
  private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();
  private PgSubscriber subscriber;
  private long pollTimer = -1;

  public JobWaiters(Vertx vertx, JobStore store, Duration pollInterval) {
    this.vertx = vertx;
    this.store = store;
    this.pollInterval = pollInterval;
  }

  /** Starts listening; completes once the LISTEN connection is up (it reconnects by itself afterwards). */
  public Future<Void> start(PgConnectOptions connect) {
    subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(attempt -> 1000L);
    subscriber.channel(CHANNEL).handler(this::wake);
    pollTimer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
    return subscriber.connect();
  }

  /**
   * Completes with the ended job once it ends, or with empty after {@code timeout}. The caller has checked
   * that the job exists and is the caller's.
   */
  public Future<Optional<JobRecord>> awaitEnd(String jobId, Duration timeout) {
    Waiter waiter = new Waiter(vertx.getOrCreateContext(), Promise.promise());
    waiting.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> finish(jobId, waiter, Optional.empty()));
    // The job may have ended between the caller's read and the registration: check once now.
    check(List.of(jobId));
    return waiter.promise().future().onComplete(r -> vertx.cancelTimer(timer));
  }

  private void wake(String jobId) {
    if (waiting.containsKey(jobId)) {
      check(List.of(jobId));
    }
  }

  private void poll() {
    if (!waiting.isEmpty()) {
      check(List.copyOf(waiting.keySet()));
    }
  }

  private void check(List<String> jobIds) {
    store.findEnded(jobIds)
        .onSuccess(ended -> ended.forEach((id, job) -> {
          Set<Waiter> waiters = waiting.get(id);
          if (waiters != null) {
            waiters.forEach(w -> finish(id, w, Optional.of(job)));
          }
        }))
        .onFailure(e -> LOG.warn("could not check waited-on jobs, the next poll retries: {}", e.toString()));
  }

  private void finish(String jobId, Waiter waiter, Optional<JobRecord> result) {
    waiting.computeIfPresent(jobId, (id, set) -> {
      set.remove(waiter);
      return set.isEmpty() ? null : set;
    });
    waiter.context().runOnContext(v -> waiter.promise().tryComplete(result));
  }

  @Override
  public void close() {
    vertx.cancelTimer(pollTimer);
    if (subscriber != null) {
      subscriber.close();
    }
  }
}
