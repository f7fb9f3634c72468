package dev.vegart.gateway.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires queued jobs whose deadline ({@code cancel_after_seconds}) passed, refunding them in the same
 * transaction, so a deadline holds even when no worker is there to see the job; a worker that takes such a
 * job later expires it too, and the event applier's status guard makes that a no-op. Also forgets
 * idempotency keys older than 24 h. Runs on every gateway; {@code FOR UPDATE SKIP LOCKED} keeps two gateways
 * off the same rows.
 */
public final class ExpirySweeper {
  private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
  private static final int BATCH = 500;
  private final Vertx vertx;
  private final Pool pool;
  private final Duration interval;
  private long timerId = -1;
  private boolean running;
  private long passes;

  public ExpirySweeper(Vertx vertx, Pool pool, Duration interval) {
    this.vertx = vertx;
    this.pool = pool;
    this.interval = interval;
  }

  public void start() {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> {
      if (!running) {
        running = true;
        Future<Integer> pass = sweepOnce();
        Future<?> cleanup = passes++ % 60 == 0 ? forgetOldIdempotencyKeys() : Future.succeededFuture();
        Future.join(pass, cleanup).onComplete(r -> running = false);
      }
    });
  }

  public void stop() {
    vertx.cancelTimer(timerId);
  }

  /** One pass; completes with how many jobs expired. */
  public Future<Integer> sweepOnce() {
    return pool.withTransaction(conn -> conn.query("UPDATE jobs SET status = 'expired', finished_at = now(), "
                + "error_code = 'expired', error_message = 'the job''s deadline passed before it started' "
                + "WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND deadline IS NOT NULL AND deadline < now() "
                + "ORDER BY deadline LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED) RETURNING key_id, quota_day, num_images")
            .execute()
            .compose(rows -> refundAll(conn, rows).map(rows.size())))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("{} queued job(s) passed their deadline: expired and refunded", n);
          }
        })
        .onFailure(e -> LOG.warn("expiry pass failed, will retry: {}", e.toString()));
  }

  private static Future<Void> refundAll(SqlConnection conn, Iterable<Row> rows) {
    Future<Void> chain = Future.succeededFuture();
    for (Row row : rows) {
      String keyId = row.getString("key_id");
      var day = row.getLocalDate("quota_day");
      int images = row.getInteger("num_images");
      chain = chain.compose(v -> JobStore.refund(conn, keyId, day, images));
    }
    return chain;
  }

  private Future<Void> forgetOldIdempotencyKeys() {
    return pool.query("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'").execute()
        .onFailure(e -> LOG.warn("could not forget old idempotency keys: {}", e.toString()))
        .mapEmpty();
  }
}
