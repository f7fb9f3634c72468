package dev.vegart.gateway.events;

import dev.vegart.common.job.JobEvent;
import dev.vegart.common.json.Json;
import dev.vegart.common.json.MalformedMessageException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Applies worker events to job records. Every transition is guarded by the current status, so applying an
 * event twice, or a late event after a terminal state, changes nothing: the first terminal event wins and
 * is the one result a client ever sees. Failures and expiries refund the job's quota. Thread-safe.
 */
public final class JobEventApplier {
  private final Pool pool;

  public JobEventApplier(Pool pool) {
    this.pool = pool;
  }

  /** Parses and applies one record value; a malformed value is reported as {@link MalformedMessageException}. */
  public Future<Boolean> apply(byte[] value) {
    return apply(Json.read(value, JobEvent.class));
  }

  /** Applies one event; completes with whether it changed the job. */
  public Future<Boolean> apply(JobEvent event) {
    if (event instanceof JobEvent.Progress) {
      return Future.succeededFuture(false); // live-only: relayed to event streams by gateway.live, never stored
    }
    if (event instanceof JobEvent.Started s) {
      return update("UPDATE jobs SET status = 'running', started_at = $2, worker_id = $3 "
          + "WHERE id = $1 AND status = 'queued'", Tuple.of(s.jobId(), utc(s.at()), s.workerId()));
    }
    if (event instanceof JobEvent.Succeeded s) {
      return update("UPDATE jobs SET status = 'succeeded', started_at = COALESCE(started_at, $2), "
              + "finished_at = $2, images = $3::text::jsonb, inference_ms = $4, truncated_tokens = $5, worker_id = $6 "
              + "WHERE id = $1 AND status IN ('queued', 'running')",
          Tuple.of(s.jobId(), utc(s.at()), Json.string(s.images()), s.inferenceMs(), s.truncatedTokens(), s.workerId()));
    }
    if (event instanceof JobEvent.Failed f) {
      return endWithRefund(f.jobId(), "failed", f.at(), f.code(), f.message());
    }
    if (event instanceof JobEvent.Canceled c) {
      return c.whileRunning()
          ? update("UPDATE jobs SET status = 'canceled', finished_at = $2 WHERE id = $1 AND status IN ('queued', 'running')",
              Tuple.of(c.jobId(), utc(c.at())))
          : endWithRefund(c.jobId(), "canceled", c.at(), "canceled", "the job was canceled before it started");
    }
    JobEvent.Expired e = (JobEvent.Expired) event;
    return endWithRefund(e.jobId(), "expired", e.at(), "expired", "the job's deadline passed before it started");
  }

  private Future<Boolean> update(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> rows.rowCount() > 0);
  }

  private Future<Boolean> endWithRefund(String jobId, String status, Instant at, String code, String message) {
    return pool.withTransaction(conn -> conn.preparedQuery("UPDATE jobs SET status = $2, finished_at = $3, "
                + "error_code = $4, error_message = $5 WHERE id = $1 AND status IN ('queued', 'running') "
                + "RETURNING key_id, quota_day, num_images")
        .execute(Tuple.of(jobId, status, utc(at), code, message))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(false);
          }
          Row row = rows.iterator().next();
          return conn.preparedQuery("UPDATE quota_usage SET used = GREATEST(used - $3, 0) WHERE key_id = $1 AND day = $2")
              .execute(Tuple.of(row.getString("key_id"), row.getLocalDate("quota_day"), row.getInteger("num_images")))
              .map(true);
        }));
  }

  private static java.time.OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
