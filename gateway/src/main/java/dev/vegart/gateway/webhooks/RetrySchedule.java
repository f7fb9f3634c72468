package dev.vegart.gateway.webhooks;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a delivery is attempted: at once when the event happens ({@code delays.get(0)} is always 0s), then
 * {@code delays.get(n)} after the n-th failed attempt; once the list is used up the delivery has failed. Every non-zero delay gets up to 10%
 * jitter either way so that deliveries failed together by one outage do not come back together.
 *
 * @param delays {@code VEGART_WEBHOOK_RETRY_SCHEDULE}, default the Standard Webhooks schedule
 *     {@code 0s,5s,5m,30m,2h,5h,10h,14h,20h,24h} (10 attempts over about 3 days)
 */
public record RetrySchedule(List<Duration> delays) {
  public static final String KEY = "VEGART_WEBHOOK_RETRY_SCHEDULE";
  public static final String DEFAULT = "0s,5s,5m,30m,2h,5h,10h,14h,20h,24h";
  static final double JITTER = 0.10;

  public RetrySchedule {
    delays = List.copyOf(delays);
    if (delays.isEmpty() || delays.size() > 50) {
      throw new ConfigException(KEY, "must list 1 to 50 delays, got " + delays.size());
    }
    if (!delays.get(0).isZero()) {
      throw new ConfigException(KEY, "must start with 0s: the first attempt is made as soon as the event happens");
    }
    if (delays.stream().anyMatch(d -> d.compareTo(Duration.ofDays(7)) > 0)) {
      throw new ConfigException(KEY, "delays must be at most 7d");
    }
  }

  public static RetrySchedule parse(String text) {
    return new RetrySchedule(Durations.parseList(KEY, text));
  }

  /** How many attempts a delivery gets in one round (a redeliver starts a new round). */
  public int attempts() {
    return delays.size();
  }

  /**
   * The wait before the next attempt once {@code attemptsMade} attempts of this round have failed, or empty
   * when the round is over.
   */
  public Optional<Duration> delayAfter(int attemptsMade, RandomGenerator random) {
    if (attemptsMade < 0 || attemptsMade >= delays.size()) {
      return Optional.empty();
    }
    return Optional.of(jittered(delays.get(attemptsMade), random));
  }

  static Duration jittered(Duration delay, RandomGenerator random) {
    if (delay.isZero()) {
      return delay;
    }
    double factor = 1.0 + (random.nextDouble() * 2.0 - 1.0) * JITTER;
    return Duration.ofMillis(Math.round(delay.toMillis() * factor));
  }
}
