package dev.vegart.gateway.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.job.JobStatus;
import dev.vegart.common.json.Json;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Tiers;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Job records and the daily quota in PostgreSQL. A submit reserves quota and inserts the job in one
 * transaction, so N gateways never grant more than a key's limit. Thread-safe.
 */
public final class JobStore {
  static final String COLUMNS = "request::text AS request, status, created_at, started_at, finished_at, inference_ms, "
      + "truncated_tokens, images::text AS images, error_code, error_message";
  private static final TypeReference<List<ImageResult>> IMAGES = new TypeReference<>() {};

  private final Pool pool;

  public JobStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Reserves {@code numImages} of today's quota and records the job as queued; 429 when the quota is used up. */
  public Future<Void> submit(ApiKey key, JobRequest job) {
    LocalDate day = quotaDay(job.submittedAt());
    return pool.withTransaction(conn -> reserve(conn, key, day, job.numImages())
        .compose(v -> conn.preparedQuery("INSERT INTO jobs (id, key_id, status, request, num_images, quota_day, created_at) "
                + "VALUES ($1, $2, 'queued', $3::text::jsonb, $4, $5, $6)")
            .execute(Tuple.of(job.id(), key.id(), Json.string(job), job.numImages(), day, utc(job.submittedAt()))))
        .mapEmpty());
  }

  private static Future<Void> reserve(SqlConnection conn, ApiKey key, LocalDate day, int images) {
    int limit = key.dailyLimit() == Tiers.UNLIMITED ? Integer.MAX_VALUE : key.dailyLimit();
    return conn.preparedQuery("INSERT INTO quota_usage (key_id, day, used) SELECT $1, $2, $4::int WHERE $4::int <= $3::int "
            + "ON CONFLICT (key_id, day) DO UPDATE SET used = quota_usage.used + EXCLUDED.used "
            + "WHERE quota_usage.used + EXCLUDED.used <= $3::int RETURNING used")
        .execute(Tuple.of(key.id(), day, limit, images))
        .compose(rows -> rows.size() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(quotaExceeded(key, images)));
  }

  private static ProblemException quotaExceeded(ApiKey key, int images) {
    long seconds = secondsToNextUtcMidnight(Instant.now());
    return new ProblemException(429, "quota-exceeded", "Daily quota exceeded",
        "this key's " + key.tier() + " tier allows " + key.dailyLimit() + " images per UTC day; " + images
            + " more would exceed it. The quota resets at the next UTC midnight.",
        List.of(), Map.of("Retry-After", Long.toString(seconds)));
  }

  public static long secondsToNextUtcMidnight(Instant now) {
    Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return Math.max(1, midnight.getEpochSecond() - now.getEpochSecond());
  }

  public Future<Void> markPublished(String jobId) {
    return pool.preparedQuery("UPDATE jobs SET published_at = now() WHERE id = $1 AND published_at IS NULL")
        .execute(Tuple.of(jobId)).mapEmpty();
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
        row.getString("error_message"));
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
