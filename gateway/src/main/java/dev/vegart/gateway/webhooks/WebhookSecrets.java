package dev.vegart.gateway.webhooks;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Rotates a key's webhook signing secret. The new secret signs at once; the previous one keeps signing beside
 * it until its grace period ends, so receivers can switch without losing a message. Thread-safe.
 */
public final class WebhookSecrets {
  public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
  public static final Duration MAX_GRACE = Duration.ofDays(7);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;

  public WebhookSecrets(Pool pool) {
    this.pool = pool;
  }

  /** A rotated secret, shown once, and until when the previous one still signs. */
  public record Rotated(String secret, Instant previousValidUntil) {}

  /** A fresh {@code whsec_} secret: 32 random bytes, base64. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return WebhookSignature.PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  public Future<Rotated> rotate(String keyId, Duration grace) {
    String secret = newSecret();
    return pool.preparedQuery("UPDATE api_keys SET webhook_secret_previous = webhook_secret, "
            + "webhook_secret_previous_until = now() + make_interval(secs => $3), webhook_secret = $2 "
            + "WHERE id = $1 RETURNING webhook_secret_previous_until")
        .execute(Tuple.of(keyId, secret, (double) grace.toSeconds()))
        .map(rows -> new Rotated(secret, rows.iterator().next().getOffsetDateTime(0).toInstant()));
  }
}
