package dev.vegart.gateway.quota;

import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.keys.ApiKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A reservation refused because it would exceed the key's daily limit. Carries the count seen by the refused
 * reservation (for the rate-limit headers) and renders as 429 with {@code Retry-After} = seconds to the next
 * UTC midnight.
 */
public final class QuotaExceededException extends RuntimeException {
  private final Quota quota;
  private final int requested;

  public QuotaExceededException(Quota quota, int requested) {
    super("quota exceeded", null, false, false);
    this.quota = quota;
    this.requested = requested;
  }

  public Quota quota() {
    return quota;
  }

  public ProblemException problem(Instant now) {
    ApiKey key = quota.key();
    return new ProblemException(429, "quota-exceeded", "Daily quota exceeded",
        "this key's " + key.tier() + " tier allows " + key.dailyLimit() + " images per UTC day; " + quota.used()
            + " are used and " + requested + " more would exceed it. The quota resets at " + quota.resetsAt() + ".",
        List.of(), Map.of("Retry-After", Long.toString(quota.secondsToReset(now))));
  }
}
