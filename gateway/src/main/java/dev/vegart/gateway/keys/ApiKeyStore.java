package dev.vegart.gateway.keys;

import dev.vegart.common.ids.Ids;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import dev.vegart.gateway.quota.Quota;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * API keys in PostgreSQL: created by operators, looked up by their peppered hash; unlimited keys are remembered
 * for {@code authCacheTtl} (see {@link KeyCache}: a revocation through another gateway takes up to that long to
 * reach this one). Thread-safe.
 */
public final class ApiKeyStore {
  private final Pool pool;
  private final KeyHasher hasher;
  private final Tiers tiers;
  private final KeyCache cache;

  public ApiKeyStore(Pool pool, KeyHasher hasher, Tiers tiers, java.time.Duration authCacheTtl) {
    this.pool = pool;
    this.hasher = hasher;
    this.tiers = tiers;
    this.cache = new KeyCache(authCacheTtl, System::nanoTime);
  }

  /** A newly created key: {@code key} and {@code webhookSecret} are shown once and never stored in clear. */
  public record CreatedKey(String id, String key, String tier, String name, String webhookSecret) {}

  public Future<CreatedKey> create(String tier, String name) {
    if (tiers.limit(tier).isEmpty()) {
      return Future.failedFuture(ProblemException.invalid(List.of(new FieldError("tier", "unknown tier",
          List.copyOf(tiers.dailyLimits().keySet())))));
    }
    String id = Ids.key();
    String key = "vr_" + Ids.secret(24);
    String webhookSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(Ids.secret(32).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return pool.preparedQuery("INSERT INTO api_keys (id, key_hash, tier, name, webhook_secret) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(id, hasher.hash(key), tier, name, webhookSecret))
        .map(rows -> new CreatedKey(id, key, tier, name, webhookSecret));
  }

  /** The active key matching {@code presented}, or a 401 problem. */
  public Future<ApiKey> authenticate(String presented) {
    return authenticateWithQuota(presented, Instant.now()).map(Quota::key);
  }

  /** The active key matching {@code presented} with its quota on the UTC day of {@code now} (one query), or a 401 problem. */
  public Future<Quota> authenticateWithQuota(String presented, Instant now) {
    String hash = hasher.hash(presented);
    LocalDate day = Quota.today(now);
    Optional<ApiKey> cached = cache.get(hash);
    if (cached.isPresent()) {
      // Only unlimited keys are cached: their count is shown nowhere and refuses nothing.
      return Future.succeededFuture(new Quota(cached.get(), day, 0));
    }
    return pool.preparedQuery("SELECT k.id, k.tier, k.key_hash, COALESCE(q.used, 0) AS used FROM api_keys k "
            + "LEFT JOIN quota_usage q ON q.key_id = k.id AND q.day = $2 WHERE k.key_hash = $1 AND k.revoked_at IS NULL")
        .execute(Tuple.of(hash, day))
        .map(rows -> {
          for (Row row : rows) {
            if (KeyHasher.equalSecrets(row.getString("key_hash"), hash)) {
              ApiKey key = apiKey(row);
              cache.put(hash, key);
              return new Quota(key, day, row.getInteger("used"));
            }
          }
          throw ProblemException.unauthorized("the API key is unknown or revoked");
        });
  }

  /** A key as operators see it (never its secret). */
  public record KeyInfo(String id, String tier, String name, Instant createdAt, Instant revokedAt, int usedToday) {}

  /** Keys in id (= creation) order after {@code afterId} (null for the first page), at most {@code limit}. */
  public Future<List<KeyInfo>> list(String afterId, int limit, Instant now) {
    return pool.preparedQuery("SELECT k.id, k.tier, k.name, k.created_at, k.revoked_at, COALESCE(q.used, 0) AS used "
            + "FROM api_keys k LEFT JOIN quota_usage q ON q.key_id = k.id AND q.day = $1 "
            + "WHERE ($2::text IS NULL OR k.id > $2) ORDER BY k.id LIMIT $3")
        .execute(Tuple.of(Quota.today(now), afterId, limit))
        .map(rows -> {
          List<KeyInfo> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new KeyInfo(row.getString("id"), row.getString("tier"), row.getString("name"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("revoked_at")), row.getInteger("used")));
          }
          return out;
        });
  }

  /** Revokes a key (idempotent: an already revoked key stays revoked as it was); false when no such key exists. */
  public Future<Boolean> revoke(String keyId) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1")
        .execute(Tuple.of(keyId))
        .onSuccess(rows -> cache.evict(keyId))
        .map(rows -> rows.rowCount() > 0);
  }

  /** A key (revoked or not) with its quota on the UTC day of {@code now}. */
  public Future<Optional<Quota>> quota(String keyId, Instant now) {
    LocalDate day = Quota.today(now);
    return pool.preparedQuery("SELECT k.id, k.tier, COALESCE(q.used, 0) AS used FROM api_keys k "
            + "LEFT JOIN quota_usage q ON q.key_id = k.id AND q.day = $2 WHERE k.id = $1")
        .execute(Tuple.of(keyId, day))
        .map(rows -> rows.size() == 0 ? Optional.<Quota>empty()
            : Optional.of(new Quota(apiKey(rows.iterator().next()), day, rows.iterator().next().getInteger("used"))));
  }

  private ApiKey apiKey(Row row) {
    String tier = row.getString("tier");
    return new ApiKey(row.getString("id"), tier, tiers.limit(tier).orElse(0));
  }

  private static Instant instant(java.time.OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
