package dev.vegart.gateway.webhooks;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What happens to a delivery after an attempt: delivered on 2xx; disabled on 410; otherwise retried after
 * the schedule's next delay (or the receiver's {@code Retry-After} when longer, at most {@link #MAX_RETRY_AFTER}),
 * or failed when the round's attempts are used up.
 *
 * @param state the delivery's new state
 * @param delay the wait before the next attempt, present only while {@code state} is {@code pending}
 */
public record NextStep(String state, Optional<Duration> delay) {
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  public static NextStep after(AttemptResult result, int roundAttemptsMade, RetrySchedule schedule, RandomGenerator random) {
    if (result.delivered()) {
      return new NextStep("delivered", Optional.empty());
    }
    if (result.gone()) {
      return new NextStep("disabled", Optional.empty());
    }
    Optional<Duration> scheduled = schedule.delayAfter(roundAttemptsMade, random);
    if (scheduled.isEmpty()) {
      return new NextStep("failed", Optional.empty());
    }
    Duration wait = scheduled.get();
    Duration asked = result.retryAfter().map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d).orElse(Duration.ZERO);
    return new NextStep("pending", Optional.of(asked.compareTo(wait) > 0 ? asked : wait));
  }
}
