package dev.vegart.gateway.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.job.JobStatus;
import dev.vegart.common.json.Json;
import dev.vegart.gateway.api.IdempotencyKey;
import dev.vegart.gateway.quota.Quota;
import dev.vegart.gateway.quota.QuotaExceededException;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Tiers;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Job records, the daily quota and idempotency keys in PostgreSQL. A submit claims its idempotency key,
 * reserves quota and inserts the job in one transaction, so N gateways never grant more than a key's limit and
 * a retried request is never charged twice. Thread-safe.
 */
public final class JobStore {
  static final String COLUMNS = "request::text AS request, status, created_at, started_at, finished_at, inference_ms, "
      + "truncated_tokens, images::text AS images, error_code, error_message, cancel_requested_at";
  private static final TypeReference<List<ImageResult>> IMAGES = new TypeReference<>() {};

  private final Pool pool;

  public JobStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /**
   * What a submit did.
   *
   * @param jobId the new job, or the one first submitted with the same idempotency key
   * @param replayed whether this is a replay (nothing recorded, nothing charged)
   * @param usedAfter images used today after the reservation (-1 for a replay)
   */
  public record Submission(String jobId, boolean replayed, int usedAfter) {}

  /**
   * Records the job as queued and reserves {@code numImages} of today's quota, in one transaction, so N
   * gateways never grant more than a key's limit. With an idempotency key the key is claimed first in the same
   * transaction: a concurrent or earlier submit with the same key makes this one a replay of that job (or a 422
   * when its request differs) and charges nothing. Fails with {@link QuotaExceededException} when the quota is
   * used up (nothing recorded).
   */
  public Future<Submission> submit(ApiKey key, JobRequest job, Optional<IdempotencyKey> idempotency) {
    LocalDate day = quotaDay(job.submittedAt());
    if (idempotency.isEmpty()) {
      // One statement, one round trip: the quota row stays locked only while it runs, which keeps a burst of
      // submits on one key (all serialised on that row) fast.
      return reserveAndInsert(pool, key, job, day);
    }
    return pool.withTransaction(conn -> claim(conn, key, job, idempotency)
        .compose(earlier -> earlier.isPresent()
            ? Future.succeededFuture(earlier.get())
            : reserveAndInsert(conn, key, job, day)));
  }

  /**
   * Adds the job's images to the day's count if that stays within the limit and, in the same statement, inserts
   * the job; fails with {@link QuotaExceededException} (nothing written) otherwise.
   *
   * <p>The count is raised by a conditional {@code UPDATE}: a refused reservation waits for the row like any
   * other, but then neither locks nor writes it, so under a burst only the granted ones queue on the row and
   * pay a commit flush. The day's first reservation inserts the row; when concurrent first reservations race
   * on that insert, the losers retry once against the row the winner committed.
   */
  private static Future<Submission> reserveAndInsert(SqlClient client, ApiKey key, JobRequest job, LocalDate day) {
    return reserveOnce(client, key, job, day).compose(outcome -> outcome == null ? reserveOnce(client, key, job, day) : Future.succeededFuture(outcome))
        .compose(outcome -> outcome == null
            ? Future.failedFuture(new IllegalStateException("quota row of " + key.id() + " neither found nor created"))
            : Future.succeededFuture(outcome));
  }

  /** The submission, a failed {@link QuotaExceededException}, or null when this lost the race to create the day's row. */
  private static Future<Submission> reserveOnce(SqlClient client, ApiKey key, JobRequest job, LocalDate day) {
    int limit = key.dailyLimit() == Tiers.UNLIMITED ? Integer.MAX_VALUE : key.dailyLimit();
    Tuple args = Tuple.tuple().addString(key.id()).addLocalDate(day).addInteger(limit).addInteger(job.numImages())
        .addString(job.id()).addString(Json.string(job)).addOffsetDateTime(utc(job.submittedAt()))
        .addOffsetDateTime(utc(job.deadline()));
    return client.preparedQuery("WITH existing AS (SELECT used FROM quota_usage WHERE key_id = $1 AND day = $2), "
            + "raised AS (UPDATE quota_usage SET used = used + $4::int "
            + "WHERE key_id = $1 AND day = $2 AND used + $4::int <= $3::int RETURNING used), "
            + "created AS (INSERT INTO quota_usage (key_id, day, used) SELECT $1, $2, $4::int "
            + "WHERE $4::int <= $3::int AND NOT EXISTS (SELECT 1 FROM existing) ON CONFLICT DO NOTHING RETURNING used), "
            + "reserved AS (SELECT used FROM raised UNION ALL SELECT used FROM created), "
            + "job AS (INSERT INTO jobs (id, key_id, status, request, num_images, quota_day, created_at, deadline) "
            + "SELECT $5, $1, 'queued', $6::text::jsonb, $4, $2, $7, $8 FROM reserved RETURNING id) "
            + "SELECT (SELECT used FROM reserved) AS used, (SELECT count(*) FROM job) AS inserted, "
            + "EXISTS (SELECT 1 FROM existing) AS had_row")
        .execute(args)
        .compose(rows -> {
          Row row = rows.iterator().next();
          Integer used = row.getInteger("used");
          if (used != null && row.getLong("inserted") == 1) {
            return Future.succeededFuture(new Submission(job.id(), false, used));
          }
          if (!row.getBoolean("had_row") && job.numImages() <= limit) {
            return Future.succeededFuture(null);
          }
          return client.preparedQuery("SELECT used FROM quota_usage WHERE key_id = $1 AND day = $2").execute(Tuple.of(key.id(), day))
              .compose(seen -> Future.failedFuture(new QuotaExceededException(
                  new Quota(key, day, seen.size() == 0 ? 0 : seen.iterator().next().getInteger("used")), job.numImages())));
        });
  }

  /** The job an unexpired idempotency key already names (a replay), or a 422 when it came with another request. */
  public Future<Optional<Submission>> findIdempotent(ApiKey key, IdempotencyKey idempotency) {
    return pool.preparedQuery("SELECT request_hash, job_id FROM idempotency_keys WHERE key_id = $1 AND idempotency_key = $2 "
            + "AND created_at > now() - interval '24 hours'")
        .execute(Tuple.of(key.id(), idempotency.value()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(replay(rows.iterator().next(), idempotency)));
  }

  /**
   * Claims the idempotency key for this job; when it is already claimed (the insert waits for a concurrent
   * claimer to commit), answers the earlier job instead. An expired claim is dropped first.
   */
  private static Future<Optional<Submission>> claim(SqlConnection conn, ApiKey key, JobRequest job, Optional<IdempotencyKey> idem) {
    if (idem.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    IdempotencyKey k = idem.get();
    return conn.preparedQuery("DELETE FROM idempotency_keys WHERE key_id = $1 AND idempotency_key = $2 "
            + "AND created_at <= now() - interval '24 hours'")
        .execute(Tuple.of(key.id(), k.value()))
        .compose(v -> conn.preparedQuery("INSERT INTO idempotency_keys (key_id, idempotency_key, request_hash, job_id) "
                + "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .execute(Tuple.of(key.id(), k.value(), k.requestHash(), job.id())))
        .compose(inserted -> inserted.rowCount() == 1
            ? Future.succeededFuture(Optional.<Submission>empty())
            : conn.preparedQuery("SELECT request_hash, job_id FROM idempotency_keys WHERE key_id = $1 AND idempotency_key = $2")
                .execute(Tuple.of(key.id(), k.value()))
                .map(rows -> Optional.of(replay(rows.iterator().next(), k))));
  }

  private static Submission replay(Row row, IdempotencyKey idempotency) {
    if (!row.getString("request_hash").equals(idempotency.requestHash())) {
      throw IdempotencyKey.reusedWithAnotherRequest();
    }
    return new Submission(row.getString("job_id"), true, -1);
  }

  /** What {@link #cancel} did. */
  public enum CancelOutcome {
    /** It was queued: now canceled and its images refunded. */
    CANCELED,
    /** It is running: marked cancel-requested; the caller tells the workers. */
    REQUESTED,
    /** It had already ended. */
    FINISHED,
    NOT_FOUND
  }

  /**
   * Cancels the caller's job: a queued job becomes canceled and is refunded in one transaction; a running job
   * is marked as cancel-requested.
   */
  public Future<CancelOutcome> cancel(String jobId, String keyId, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery("UPDATE jobs SET status = 'canceled', finished_at = $3, "
                + "cancel_requested_at = $3, error_code = 'canceled', error_message = 'canceled by its owner before it started' "
                + "WHERE id = $1 AND key_id = $2 AND status = 'queued' RETURNING quota_day, num_images")
        .execute(Tuple.of(jobId, keyId, utc(now)))
        .compose(rows -> {
          if (rows.size() == 1) {
            Row row = rows.iterator().next();
            return refund(conn, keyId, row.getLocalDate("quota_day"), row.getInteger("num_images")).map(CancelOutcome.CANCELED);
          }
          return conn.preparedQuery("UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, $3) "
                  + "WHERE id = $1 AND key_id = $2 AND status = 'running' RETURNING id")
              .execute(Tuple.of(jobId, keyId, utc(now)))
              .compose(running -> running.size() == 1
                  ? Future.succeededFuture(CancelOutcome.REQUESTED)
                  : conn.preparedQuery("SELECT 1 FROM jobs WHERE id = $1 AND key_id = $2").execute(Tuple.of(jobId, keyId))
                      .map(found -> found.size() == 1 ? CancelOutcome.FINISHED : CancelOutcome.NOT_FOUND));
        }));
  }

  /** Those of {@code jobIds} that have ended, by id (any owner: callers check ownership before waiting). */
  public Future<Map<String, JobRecord>> findEnded(List<String> jobIds) {
    return pool.preparedQuery("SELECT id, " + COLUMNS + " FROM jobs WHERE id = ANY($1) "
            + "AND status IN ('succeeded', 'failed', 'canceled', 'expired')")
        .execute(Tuple.of(jobIds.toArray(String[]::new)))
        .map(rows -> {
          Map<String, JobRecord> out = new HashMap<>();
          for (Row row : rows) {
            out.put(row.getString("id"), record(row));
          }
          return out;
        });
  }

  public static long secondsToNextUtcMidnight(Instant now) {
    Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return Math.max(1, midnight.getEpochSecond() - now.getEpochSecond());
  }

  /** Records that Kafka acknowledged these jobs (the outbox relay publishes only unmarked ones). */
  public Future<Void> markPublished(List<String> jobIds) {
    return pool.preparedQuery("UPDATE jobs SET published_at = now() WHERE id = ANY($1) AND published_at IS NULL")
        .execute(Tuple.of(jobIds.toArray(String[]::new))).mapEmpty();
  }

  /** Takes back a job that could not be handed to Kafka: deleted and its quota refunded, unless already published. */
  public Future<Boolean> withdraw(String jobId) {
    return pool.withTransaction(conn -> conn.preparedQuery(
            "DELETE FROM jobs WHERE id = $1 AND published_at IS NULL RETURNING key_id, quota_day, num_images")
        .execute(Tuple.of(jobId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(false);
          }
          Row row = rows.iterator().next();
          return refund(conn, row.getString("key_id"), row.getLocalDate("quota_day"), row.getInteger("num_images")).map(true);
        }));
  }

  static Future<Void> refund(SqlConnection conn, String keyId, LocalDate day, int images) {
    return conn.preparedQuery("UPDATE quota_usage SET used = GREATEST(used - $3, 0) WHERE key_id = $1 AND day = $2")
        .execute(Tuple.of(keyId, day, images)).mapEmpty();
  }

  /** The job if it exists and belongs to {@code keyId}. */
  public Future<Optional<JobRecord>> find(String jobId, String keyId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = $1 AND key_id = $2")
        .execute(Tuple.of(jobId, keyId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(record(rows.iterator().next())));
  }

  static JobRecord record(Row row) {
    String images = row.getString("images");
    return new JobRecord(
        Json.read(row.getString("request").getBytes(StandardCharsets.UTF_8), JobRequest.class),
        JobStatus.parse(row.getString("status")),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("started_at")),
        instant(row.getOffsetDateTime("finished_at")),
        row.getLong("inference_ms"),
        row.getInteger("truncated_tokens"),
        images == null ? List.of() : readImages(images),
        row.getString("error_code"),
        row.getString("error_message"),
        instant(row.getOffsetDateTime("cancel_requested_at")));
  }

  private static List<ImageResult> readImages(String json) {
    try {
      return Json.MAPPER.readValue(json, IMAGES);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored images of a job are unreadable", e);
    }
  }

  public static LocalDate quotaDay(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
