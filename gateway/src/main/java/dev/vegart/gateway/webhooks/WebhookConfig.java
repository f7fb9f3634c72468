package dev.vegart.gateway.webhooks;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import java.time.Duration;

/**
 * How the gateway delivers webhooks.
 *
 * @param schedule {@code VEGART_WEBHOOK_RETRY_SCHEDULE}, default {@value RetrySchedule#DEFAULT}
 * @param destinations {@code VEGART_WEBHOOK_ALLOW_HOSTS}, default empty (only public https hosts)
 * @param attemptTimeout {@code VEGART_WEBHOOK_TIMEOUT}: the whole attempt, connect to last response byte, default 15s
 * @param maxPerHost {@code VEGART_WEBHOOK_MAX_PER_HOST}: attempts in flight to one host from one gateway, default 4
 * @param maxInFlight {@code VEGART_WEBHOOK_MAX_IN_FLIGHT}: attempts in flight from one gateway, default 64
 * @param pollInterval {@code VEGART_WEBHOOK_POLL_INTERVAL}: how often a gateway looks for due deliveries, default 1s
 */
public record WebhookConfig(RetrySchedule schedule, DestinationPolicy destinations, Duration attemptTimeout,
    int maxPerHost, int maxInFlight, Duration pollInterval) {

  public WebhookConfig {
    if (attemptTimeout.compareTo(Duration.ofSeconds(1)) < 0 || attemptTimeout.compareTo(Duration.ofMinutes(2)) > 0) {
      throw new ConfigException("VEGART_WEBHOOK_TIMEOUT", "must be from 1s to 2m, got " + attemptTimeout);
    }
    if (pollInterval.compareTo(Duration.ofMillis(50)) < 0 || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException("VEGART_WEBHOOK_POLL_INTERVAL", "must be from 50ms to 1m, got " + pollInterval);
    }
    if (maxPerHost > maxInFlight) {
      throw new ConfigException("VEGART_WEBHOOK_MAX_PER_HOST", "must not exceed VEGART_WEBHOOK_MAX_IN_FLIGHT (" + maxInFlight + ")");
    }
  }

  public static WebhookConfig from(Env env) {
    return new WebhookConfig(
        RetrySchedule.parse(env.string(RetrySchedule.KEY, RetrySchedule.DEFAULT)),
        DestinationPolicy.parse(env.string(DestinationPolicy.KEY, "")),
        env.duration("VEGART_WEBHOOK_TIMEOUT", Duration.ofSeconds(15)),
        env.integer("VEGART_WEBHOOK_MAX_PER_HOST", 4, 1, 1000),
        env.integer("VEGART_WEBHOOK_MAX_IN_FLIGHT", 64, 1, 10_000),
        env.duration("VEGART_WEBHOOK_POLL_INTERVAL", Duration.ofSeconds(1)));
  }

  /**
   * How long a claimed delivery stays reserved for the gateway that claimed it: the attempt's timeout plus a
   * margin. A gateway that dies mid-attempt loses its claim after this and another gateway retries.
   */
  public Duration lease() {
    return attemptTimeout.plusSeconds(10);
  }
}
