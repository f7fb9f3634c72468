package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.tracing.TraceContext;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void bodyIsTypeTimestampAndTheJobWithoutItsWebhookState() {
    JsonObject job = new JsonObject().put("id", "job_1").put("status", "succeeded").put("webhook_status", "retrying");
    Instant at = Instant.parse("2026-11-26T07:00:00.123456Z");
    JsonObject body = WebhookPayload.body("job.succeeded", at, job).toJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("type", "timestamp", "data");
    assertThat(body.getString("type")).isEqualTo("job.succeeded");
    assertThat(body.getString("timestamp")).isEqualTo("2026-11-26T07:00:00.123456Z");
    assertThat(body.getJsonObject("data").getMap()).containsOnlyKeys("id", "status");
    assertThat(job.getString("webhook_status")).as("the caller's object is left alone").isEqualTo("retrying");
  }

  @Test
  void headersCarryTheStableIdTheAttemptTimeAndOneSignaturePerSecret() {
    String previous = WebhookSecrets.newSecret();
    Claim claim = new Claim("msg_abc", "job_1", "key_1", "job.failed", Instant.EPOCH, "https://h.example/", "h.example", 2, 2,
        List.of(SECRET, previous), false, null);
    Buffer body = Buffer.buffer("{\"type\":\"job.failed\"}");
    TraceContext attempt = TraceContext.newRoot();
    MultiMap headers = WebhookPayload.headers(claim, body, Instant.ofEpochSecond(1_800_000_000L), attempt);
    assertThat(headers.get("traceparent")).isEqualTo(attempt.traceparent());
    assertThat(headers.get("webhook-id")).isEqualTo("msg_abc");
    assertThat(headers.get("webhook-timestamp")).isEqualTo("1800000000");
    assertThat(headers.get("webhook-signature")).isEqualTo(
        WebhookSignature.sign("msg_abc", 1_800_000_000L, body.getBytes(), SECRET) + " "
            + WebhookSignature.sign("msg_abc", 1_800_000_000L, body.getBytes(), previous));
  }
}
