package dev.vegart.gateway.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one HTTP attempt produced.
 *
 * @param startedAt when the attempt began
 * @param durationMs how long it took, resolution to last response byte (or failure)
 * @param httpStatus the receiver's status, or null when no response arrived
 * @param error why it failed, in words, or null when delivered
 * @param retryAfter the receiver's {@code Retry-After} on a 429 or 503
 */
public record AttemptResult(Instant startedAt, long durationMs, Integer httpStatus, String error, Optional<Duration> retryAfter) {
  public boolean delivered() {
    return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
  }

  public boolean gone() {
    return httpStatus != null && httpStatus == 410;
  }
}
