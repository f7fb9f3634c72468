package dev.vegart.gateway.webhooks;

import dev.vegart.common.tracing.TraceContext;
import java.time.Instant;
import java.util.List;

/**
 * A due delivery reserved by one gateway until its lease ends.
 *
 * @param id the stable {@code webhook-id}
 * @param event the event's wire name
 * @param eventAt when the job changed status (the payload's {@code timestamp})
 * @param attempts attempts made before this one, in all rounds
 * @param roundAttempts attempts made before this one in the current round (a redeliver starts a round)
 * @param secrets the key's signing secrets, current first (two while a rotation is in its grace period)
 * @param disabled whether the endpoint answered 410 Gone to this key before: nothing is sent then
 * @param trace the trace of the request that submitted the job (each attempt is a child span of it); null for a
 *     delivery recorded before traces were kept, whose attempts each start a new trace
 */
public record Claim(String id, String jobId, String keyId, String event, Instant eventAt, String url, String host,
    int attempts, int roundAttempts, List<String> secrets, boolean disabled, TraceContext trace) {
  public Claim {
    secrets = List.copyOf(secrets);
  }
}
