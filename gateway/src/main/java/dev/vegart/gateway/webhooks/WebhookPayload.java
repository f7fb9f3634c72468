package dev.vegart.gateway.webhooks;

import dev.vegart.common.tracing.TraceContext;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The body and Standard Webhooks headers of one attempt. The body is thin: {@code type}, {@code timestamp}
 * (when the job changed status) and {@code data} (the job as {@code GET /v1/jobs/{id}} shows it, with image
 * URLs presigned afresh for this attempt, no image bytes). {@code webhook-timestamp} is the attempt's time,
 * so receivers that refuse stale messages accept a late retry. {@code traceparent} continues the trace of the
 * request that submitted the job, with a new span id per attempt.
 */
public final class WebhookPayload {
  private WebhookPayload() {}

  public static Buffer body(String event, Instant eventAt, JsonObject job) {
    JsonObject data = job.copy();
    data.remove("webhook_status");
    return new JsonObject().put("type", event).put("timestamp", eventAt.toString()).put("data", data).toBuffer();
  }

  /** The attempt's headers; {@code attempt} is the attempt's own span, sent as W3C {@code traceparent}. */
  public static MultiMap headers(Claim claim, Buffer body, Instant now, TraceContext attempt) {
    long timestamp = now.getEpochSecond();
    return MultiMap.caseInsensitiveMultiMap()
        .set(TraceContext.HEADER, attempt.traceparent())
        .set("webhook-id", claim.id())
        .set("webhook-timestamp", Long.toString(timestamp))
        .set("webhook-signature", WebhookSignature.header(claim.id(), timestamp, body.getBytes(), claim.secrets()));
  }
}
