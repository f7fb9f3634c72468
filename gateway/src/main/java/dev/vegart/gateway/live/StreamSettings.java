package dev.vegart.gateway.live;

import java.time.Duration;

/**
 * Timings of {@code GET /v1/jobs/{id}/events}.
 *
 * @param refresh how often an open stream re-reads its job from PostgreSQL (queue position, ETA, and a status
 *     change the live reader missed)
 * @param heartbeat how often an idle stream sends a comment, so proxies keep it open
 * @param maxDuration how long one stream stays open before it sends the job as it is and ends (clients reconnect)
 */
public record StreamSettings(Duration refresh, Duration heartbeat, Duration maxDuration) {
  public static final StreamSettings DEFAULTS =
      new StreamSettings(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofMinutes(5));
}
