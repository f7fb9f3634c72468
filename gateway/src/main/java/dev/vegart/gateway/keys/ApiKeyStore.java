package dev.vegart.gateway.keys;

import dev.vegart.common.ids.Ids;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** API keys in PostgreSQL: created by operators, looked up by their peppered hash. Thread-safe. */
public final class ApiKeyStore {
  private final Pool pool;
  private final KeyHasher hasher;
  private final Tiers tiers;

  public ApiKeyStore(Pool pool, KeyHasher hasher, Tiers tiers) {
    this.pool = pool;
    this.hasher = hasher;
    this.tiers = tiers;
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
    String hash = hasher.hash(presented);
    return pool.preparedQuery("SELECT id, tier, key_hash FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(hash))
        .map(rows -> {
          for (Row row : rows) {
            if (KeyHasher.equalSecrets(row.getString("key_hash"), hash)) {
              String tier = row.getString("tier");
              return new ApiKey(row.getString("id"), tier, tiers.limit(tier).orElse(0));
            }
          }
          throw ProblemException.unauthorized("the API key is unknown or revoked");
        });
  }
}
