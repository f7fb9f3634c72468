package dev.vegart.stack.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.tracing.TraceContext;
import dev.vegart.stack.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** The API calls the webhook tests make, with their waits (polling with a deadline). */
final class WebhookClient {
  record Key(String id, String key, String webhookSecret) {}

  private final Http http;

  WebhookClient(Http http) {
    this.http = http;
  }

  Key createKey(String adminToken) {
    HttpResponse<String> r = http.send("POST", "/admin/v1/keys", "{\"tier\": \"unlimited\"}",
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + adminToken));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject created = new JsonObject(r.body());
    return new Key(created.getString("id"), created.getString("key"), created.getString("webhook_secret"));
  }

  /** Submits a tiny job (512x512, one step) with the given webhook fields; returns the response. */
  HttpResponse<String> submit(Key key, String webhookUrl, JsonArray events) {
    JsonObject body = new JsonObject().put("prompt", "a webhook test").put("num_inference_steps", 1)
        .put("width", 512).put("height", 512).put("webhook_url", webhookUrl);
    if (events != null) {
      body.put("webhook_events", events);
    }
    return http.postJson("/v1/jobs", body.encode(), key.key());
  }

  /** Submits a tiny job with a webhook and the W3C {@code traceparent} of {@code trace}; returns its id. */
  String submitTraced(Key key, String webhookUrl, TraceContext trace) {
    JsonObject body = new JsonObject().put("prompt", "a traced webhook test").put("num_inference_steps", 1)
        .put("width", 512).put("height", 512).put("webhook_url", webhookUrl);
    HttpResponse<String> r = http.send("POST", "/v1/jobs", body.encode(),
        Map.of("Content-Type", "application/json", "x-api-key", key.key(), TraceContext.HEADER, trace.traceparent()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getString("id");
  }

  String submitAccepted(Key key, String webhookUrl, JsonArray events) {
    HttpResponse<String> r = submit(key, webhookUrl, events);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getString("id");
  }

  JsonObject job(Key key, String jobId) {
    HttpResponse<String> r = http.get("/v1/jobs/" + jobId, key.key());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  JsonObject deliveries(Key key, String jobId) {
    HttpResponse<String> r = http.get("/v1/jobs/" + jobId + "/webhook-deliveries", key.key());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  HttpResponse<String> redeliver(Key key, String jobId) {
    return http.send("POST", "/v1/jobs/" + jobId + "/webhook-deliveries/redeliver", null, Map.of("x-api-key", key.key()));
  }

  HttpResponse<String> rotate(Key key, long previousValidSeconds) {
    return http.send("POST", "/v1/webhook-secret/rotate", new JsonObject().put("previous_secret_valid_seconds", previousValidSeconds).encode(),
        Map.of("x-api-key", key.key(), "Content-Type", "application/json"));
  }

  /** Polls the job until {@code until} holds for it, or fails with its last state. */
  JsonObject awaitJob(Key key, String jobId, Predicate<JsonObject> until, Duration timeout) {
    return await(() -> job(key, jobId), until, timeout, "job " + jobId);
  }

  /** Polls the delivery log until {@code until} holds for it. */
  JsonObject awaitDeliveries(Key key, String jobId, Predicate<JsonObject> until, Duration timeout) {
    return await(() -> deliveries(key, jobId), until, timeout, "webhook deliveries of " + jobId);
  }

  static JsonArray attempts(JsonObject log) {
    JsonArray deliveries = log.getJsonArray("deliveries");
    return deliveries.isEmpty() ? new JsonArray() : deliveries.getJsonObject(0).getJsonArray("attempts");
  }

  private static JsonObject await(java.util.function.Supplier<JsonObject> read, Predicate<JsonObject> until, Duration timeout,
      String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject last;
    do {
      last = read.get();
      if (until.test(last)) {
        return last;
      }
      LockSupport.parkNanos(100_000_000L);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(what + " did not reach the expected state within " + timeout + ": " + last.encodePrettily());
  }
}
