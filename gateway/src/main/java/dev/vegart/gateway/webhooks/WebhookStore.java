package dev.vegart.gateway.webhooks;

import dev.vegart.common.tracing.TraceContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Webhook subscriptions and deliveries in PostgreSQL. Deliveries themselves are created by the
 * {@code jobs_record_webhook} trigger in the transaction that changes a job's status (V3__webhooks.sql);
 * this class claims, completes, lists and re-arms them. Thread-safe.
 */
public final class WebhookStore {
  private static final String CLAIM = """
      WITH candidates AS (
        SELECT id, host, next_attempt_at FROM webhook_deliveries
         WHERE state = 'pending' AND next_attempt_at <= now()
           AND (lease_until IS NULL OR lease_until < now()) AND NOT (host = ANY ($3))
         ORDER BY next_attempt_at LIMIT $2 * 4
         FOR UPDATE SKIP LOCKED),
      ranked AS (
        SELECT id, next_attempt_at, row_number() OVER (PARTITION BY host ORDER BY next_attempt_at) AS n FROM candidates),
      chosen AS (
        SELECT id FROM ranked WHERE n <= $4 ORDER BY next_attempt_at LIMIT $2)
      UPDATE webhook_deliveries d SET lease_owner = $1, lease_until = now() + make_interval(secs => $5)
        FROM chosen c, api_keys k
       WHERE d.id = c.id AND k.id = d.key_id
      RETURNING d.id, d.job_id, d.key_id, d.event_type, d.event_at, d.url, d.host, d.attempts, d.round_attempts,
        d.traceparent, k.webhook_secret,
        CASE WHEN k.webhook_secret_previous_until > now() THEN k.webhook_secret_previous END AS previous_secret,
        EXISTS (SELECT 1 FROM webhook_disabled_endpoints e WHERE e.key_id = d.key_id AND e.url = d.url) AS disabled""";
  private static final String COMPLETE = """
      UPDATE webhook_deliveries SET attempts = attempts + 1, round_attempts = round_attempts + 1, state = $3,
        next_attempt_at = CASE WHEN $4::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $4::float8) END,
        last_status = $5, last_error = $6,
        delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END,
        lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2
      RETURNING attempts, next_attempt_at""";

  private final Pool pool;

  public WebhookStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records a job's webhook; called just before the job row is written. {@code trace} (nullable) is the
   * submitting request's trace: every delivery of the job carries it on.
   */
  public Future<Void> register(String jobId, String keyId, WebhookSubscription sub, TraceContext trace) {
    String[] events = sub.events().stream().map(WebhookEvent::wire).sorted().toArray(String[]::new);
    return pool.preparedQuery("INSERT INTO job_webhooks (job_id, key_id, url, host, events, traceparent) "
            + "VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(jobId, keyId, sub.url().toString(), sub.host(), events, trace == null ? null : trace.traceparent()))
        .mapEmpty();
  }

  /** Removes the webhook of a job that was never recorded (its submit failed). */
  public Future<Void> forget(String jobId) {
    return pool.preparedQuery("DELETE FROM job_webhooks WHERE job_id = $1 AND NOT EXISTS (SELECT 1 FROM jobs WHERE id = $1)")
        .execute(Tuple.of(jobId)).mapEmpty();
  }

  /** Removes webhooks older than {@code age} whose job was never recorded (a gateway died mid-submit); returns how many. */
  public Future<Integer> sweepOrphans(Duration age) {
    return pool.preparedQuery("DELETE FROM job_webhooks w WHERE w.created_at < now() - make_interval(secs => $1) "
            + "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = w.job_id)")
        .execute(Tuple.of((double) age.toSeconds())).map(RowSet::rowCount);
  }

  /** When the endpoint answered 410 Gone to this key, if it did and has not been re-enabled since. */
  public Future<Optional<Instant>> disabledSince(String keyId, String url) {
    return pool.preparedQuery("SELECT disabled_at FROM webhook_disabled_endpoints WHERE key_id = $1 AND url = $2")
        .execute(Tuple.of(keyId, url))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  /** The job's webhook as its owner sees it; empty when the job has none. */
  public Future<Optional<WebhookSummary>> summary(String jobId) {
    return pool.preparedQuery("SELECT w.url, w.events, d.state, d.attempts FROM job_webhooks w "
            + "LEFT JOIN webhook_deliveries d ON d.job_id = w.job_id WHERE w.job_id = $1")
        .execute(Tuple.of(jobId))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          List<WebhookStatus.DeliveryState> states = new ArrayList<>();
          Row first = null;
          for (Row row : rows) {
            first = first == null ? row : first;
            if (row.getString("state") != null) {
              states.add(new WebhookStatus.DeliveryState(row.getString("state"), row.getInteger("attempts")));
            }
          }
          return Optional.of(new WebhookSummary(first.getString("url"), Arrays.asList(first.getArrayOfStrings("events")),
              WebhookStatus.of(states)));
        });
  }

  /** Whether the job exists and belongs to the key. */
  public Future<Boolean> owns(String jobId, String keyId) {
    return pool.preparedQuery("SELECT 1 FROM jobs WHERE id = $1 AND key_id = $2").execute(Tuple.of(jobId, keyId))
        .map(rows -> rows.size() > 0);
  }

  /** The job's deliveries with every attempt, oldest first. */
  public Future<List<DeliveryLog>> log(String jobId) {
    return pool.preparedQuery("SELECT id, event_type, url, state, attempts, next_attempt_at, last_status, last_error, "
            + "delivered_at, created_at FROM webhook_deliveries WHERE job_id = $1 ORDER BY created_at, id")
        .execute(Tuple.of(jobId))
        .compose(deliveries -> pool.preparedQuery("SELECT delivery_id, attempt, started_at, duration_ms, http_status, error, "
                + "next_attempt_at, gateway FROM webhook_attempts WHERE delivery_id = ANY ($1) ORDER BY id")
            .execute(Tuple.of(ids(deliveries)))
            .map(attempts -> DeliveryLog.from(deliveries, attempts)));
  }

  /**
   * Re-arms every delivery of the job that no gateway holds right now: a new round of attempts, due at once,
   * same {@code webhook-id}. Also re-enables the job's endpoint if it had answered 410. Returns the ids re-armed.
   */
  public Future<List<String>> redeliver(String jobId, String keyId) {
    return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM webhook_disabled_endpoints e USING job_webhooks w "
                + "WHERE w.job_id = $1 AND e.key_id = $2 AND e.url = w.url")
            .execute(Tuple.of(jobId, keyId))
            .compose(v -> conn.preparedQuery("UPDATE webhook_deliveries SET state = 'pending', round_attempts = 0, "
                    + "next_attempt_at = now(), last_error = NULL WHERE job_id = $1 AND key_id = $2 "
                    + "AND (lease_until IS NULL OR lease_until < now()) RETURNING id")
                .execute(Tuple.of(jobId, keyId)))
            .map(rows -> {
              List<String> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getString("id")));
              return ids;
            }));
  }

  /**
   * Reserves up to {@code limit} due deliveries for {@code owner} until the lease ends, at most
   * {@code maxPerHost} per host and none for the {@code busyHosts}. Rows another gateway is claiming at the same
   * moment are skipped, never waited for.
   */
  public Future<List<Claim>> claim(String owner, int limit, List<String> busyHosts, int maxPerHost, Duration lease) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(owner, limit, busyHosts.toArray(String[]::new), maxPerHost, lease.toMillis() / 1000.0))
        .map(rows -> {
          List<Claim> claims = new ArrayList<>();
          for (Row row : rows) {
            List<String> secrets = new ArrayList<>();
            secrets.add(row.getString("webhook_secret"));
            Optional.ofNullable(row.getString("previous_secret")).ifPresent(secrets::add);
            claims.add(new Claim(row.getString("id"), row.getString("job_id"), row.getString("key_id"),
                row.getString("event_type"), row.getOffsetDateTime("event_at").toInstant(), row.getString("url"),
                row.getString("host"), row.getInteger("attempts"), row.getInteger("round_attempts"), secrets,
                row.getBoolean("disabled"), TraceContext.parse(row.getString("traceparent")).orElse(null)));
          }
          return claims;
        });
  }

  /** Gives a claim back untouched (the gateway could not start the attempt now). */
  public Future<Void> release(String id, String owner) {
    return pool.preparedQuery("UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2")
        .execute(Tuple.of(id, owner)).mapEmpty();
  }

  /** Marks a delivery to an endpoint disabled by an earlier 410 without sending anything. */
  public Future<Void> skipDisabled(Claim claim, String owner) {
    return pool.preparedQuery("UPDATE webhook_deliveries SET state = 'disabled', next_attempt_at = NULL, "
            + "last_error = 'not sent: the endpoint answered 410 Gone earlier; a redeliver re-enables it', "
            + "lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2")
        .execute(Tuple.of(claim.id(), owner)).mapEmpty();
  }

  /**
   * Records an attempt and the delivery's next step in one transaction. The delivery only changes while
   * {@code owner} still holds its lease; the attempt is logged either way. Completes with whether it held.
   */
  public Future<Boolean> complete(Claim claim, AttemptResult result, NextStep next, String owner) {
    Double delaySeconds = next.delay().map(d -> d.toMillis() / 1000.0).orElse(null);
    return pool.withTransaction(conn -> conn.preparedQuery(COMPLETE)
        .execute(Tuple.of(claim.id(), owner, next.state(), delaySeconds, result.httpStatus(), result.error()))
        .compose(rows -> {
          boolean held = rows.size() == 1;
          int attempt = held ? rows.iterator().next().getInteger("attempts") : claim.attempts() + 1;
          OffsetDateTime nextAt = held ? rows.iterator().next().getOffsetDateTime("next_attempt_at") : null;
          return conn.preparedQuery("INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, "
                  + "http_status, error, next_attempt_at, gateway) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
              .execute(Tuple.of(claim.id(), attempt, utc(result.startedAt()), (int) Math.min(result.durationMs(), Integer.MAX_VALUE),
                  result.httpStatus(), result.error(), nextAt, owner))
              .compose(v -> held && "disabled".equals(next.state()) ? disable(conn, claim) : Future.succeededFuture())
              .map(held);
        }));
  }

  private static Future<Void> disable(SqlConnection conn, Claim claim) {
    return conn.preparedQuery("INSERT INTO webhook_disabled_endpoints (key_id, url) VALUES ($1, $2) "
            + "ON CONFLICT (key_id, url) DO UPDATE SET disabled_at = now()")
        .execute(Tuple.of(claim.keyId(), claim.url())).mapEmpty();
  }

  private static String[] ids(RowSet<Row> deliveries) {
    List<String> ids = new ArrayList<>();
    deliveries.forEach(r -> ids.add(r.getString("id")));
    return ids.toArray(String[]::new);
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
