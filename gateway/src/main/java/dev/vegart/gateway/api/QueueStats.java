package dev.vegart.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fleet's queue as PostgreSQL sees it: queued images, and throughput measured over the succeeded jobs of
 * the last {@link #WINDOW} (images divided by the span from the first start to the last finish, so idle time
 * before or after the work does not dilute it). Fleet-wide figures are cached for {@link #CACHE} per gateway:
 * submits read them, so they must not cost a query each. Thread-safe.
 */
public final class QueueStats {
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final Duration CACHE = Duration.ofSeconds(1);
  /** Assumed GPU seconds per image while no throughput has been measured (a fleet that has not run yet). */
  static final double UNMEASURED_SECONDS_PER_IMAGE = 1.0;

  /**
   * @param queuedImages images of queued jobs
   * @param imagesPerSecond measured fleet throughput; 0 when nothing succeeded in the window
   * @param at when measured
   */
  public record Fleet(long queuedImages, double imagesPerSecond, Instant at) {
    /** Seconds of GPU work waiting: queued images at the measured (or assumed) rate. */
    public double backlogSeconds() {
      return imagesPerSecond > 0 ? queuedImages / imagesPerSecond : queuedImages * UNMEASURED_SECONDS_PER_IMAGE;
    }

    /** Seconds until a job with {@code ahead} images before it and {@code own} of its own is done; null when unmeasured. */
    public Long etaSeconds(long ahead, int own) {
      return imagesPerSecond > 0 ? (long) Math.ceil((ahead + own) / imagesPerSecond) : null;
    }
  }

  private record Cached(Future<Fleet> fleet, long atNanos) {}

  private final Pool pool;
  private final AtomicReference<Cached> cached = new AtomicReference<>();

  public QueueStats(Pool pool) {
    this.pool = pool;
  }

  /** The fleet figures, at most {@link #CACHE} old, completing on the caller's Vert.x context. */
  public Future<Fleet> fleet() {
    Cached c = cached.get();
    long now = System.nanoTime();
    if (c != null && now - c.atNanos() < CACHE.toNanos() && !c.fleet().failed()) {
      return onCallersContext(c.fleet());
    }
    Future<Fleet> fresh = measure();
    cached.set(new Cached(fresh, now));
    return fresh;
  }

  /**
   * A cached future belongs to the context of the request that measured it: another request composing on it
   * would go on running on that context, and read that request's trace (GatewayTracing) when it hands its own
   * job to Kafka. Each caller gets a future of its own context.
   */
  private static Future<Fleet> onCallersContext(Future<Fleet> shared) {
    ContextInternal caller = (ContextInternal) Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<Fleet> own = caller.promise();
    shared.onComplete(own);
    return own.future();
  }

  private Future<Fleet> measure() {
    return pool.preparedQuery("SELECT (SELECT COALESCE(SUM(num_images), 0) FROM jobs WHERE status = 'queued') AS queued, "
            + "COALESCE(SUM(num_images), 0) AS done, MIN(COALESCE(started_at, created_at)) AS first_start, "
            + "MAX(finished_at) AS last_finish, now() AS now "
            + "FROM jobs WHERE status = 'succeeded' AND finished_at > now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) WINDOW.toSeconds()))
        .map(rows -> {
          Row row = rows.iterator().next();
          long done = row.getLong("done");
          OffsetDateTime first = row.getOffsetDateTime("first_start");
          OffsetDateTime last = row.getOffsetDateTime("last_finish");
          double rate = 0;
          if (done > 0 && first != null && last != null) {
            double span = Math.max(1.0, Duration.between(first, last).toMillis() / 1000.0);
            rate = done / span;
          }
          return new Fleet(row.getLong("queued"), rate, row.getOffsetDateTime("now").toInstant());
        });
  }

  /** Images of queued jobs submitted before the given one (its queue position, counted in images). */
  public Future<Long> imagesAhead(String jobId, Instant createdAt) {
    return pool.preparedQuery("SELECT COALESCE(SUM(num_images), 0) AS ahead FROM jobs "
            + "WHERE status = 'queued' AND (created_at, id) < ($1, $2)")
        .execute(Tuple.of(createdAt.atOffset(ZoneOffset.UTC), jobId))
        .map(rows -> rows.iterator().next().getLong("ahead"));
  }
}
