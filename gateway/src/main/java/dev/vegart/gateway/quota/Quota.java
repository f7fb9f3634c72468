package dev.vegart.gateway.quota;

import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Tiers;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A key's daily quota on one UTC day: images granted so far and what is left.
 *
 * @param key the key
 * @param day the UTC day counted
 * @param used images reserved that day (refunds already subtracted)
 */
public record Quota(ApiKey key, LocalDate day, int used) {

  public boolean unlimited() {
    return key.dailyLimit() == Tiers.UNLIMITED;
  }

  /** Images still grantable today; {@link Integer#MAX_VALUE} when unlimited. */
  public int remaining() {
    return unlimited() ? Integer.MAX_VALUE : Math.max(0, key.dailyLimit() - used);
  }

  public Instant resetsAt() {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Seconds from {@code now} to the reset, at least 1. */
  public long secondsToReset(Instant now) {
    return Math.max(1, resetsAt().getEpochSecond() - now.getEpochSecond());
  }

  public Quota withUsed(int newUsed) {
    return new Quota(key, day, newUsed);
  }

  /** The {@code GET /v1/usage} body. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("key_id", key.id())
        .put("tier", key.tier())
        .put("limit", unlimited() ? null : key.dailyLimit())
        .put("used", used)
        .put("remaining", unlimited() ? null : remaining())
        .put("day", day.toString())
        .put("resets_at", resetsAt().toString());
  }

  public static LocalDate today(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC);
  }
}
