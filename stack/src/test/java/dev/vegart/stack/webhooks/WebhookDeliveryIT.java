package dev.vegart.stack.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.tracing.TraceContext;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import dev.vegart.stack.webhooks.Receiver.Answer;
import dev.vegart.stack.webhooks.Receiver.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks from the real stack (gateway, Kafka, PostgreSQL, CPU worker) to real receivers on loopback, which
 * the test stack allow-lists ({@code VEGART_WEBHOOK_ALLOW_HOSTS=127.0.0.1}, schedule {@code 0s,1s,2s,...}).
 */
class WebhookDeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static LocalStack stack;
  private static WebhookClient api;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    api = new WebhookClient(new Http(stack.url()));
  }

  @Test
  void receiverAnswering500TwiceThen200GetsTheSameSignedMessageThreeTimesAndTheJobShowsDelivered() throws Exception {
    WebhookClient.Key key = api.createKey(stack.adminToken());
    try (Receiver receiver = new Receiver(r -> Answer.of(r.number() <= 2 ? 500 : 200))) {
      String jobId = api.submitAccepted(key, receiver.url("/hooks/vegart?source=it"), null);

      List<Received> got = receiver.await(3, WAIT);
      assertThat(got).hasSize(3).extracting(Received::id).containsOnly(got.get(0).id());
      assertThat(got.get(0).id()).startsWith("msg_");
      assertThat(got).extracting(Received::path).containsOnly("/hooks/vegart?source=it");
      long now = Instant.now().getEpochSecond();
      for (Received r : got) {
        assertThat(StandardWebhooksVerifier.verify(key.webhookSecret(), r.id(), r.timestamp(), r.signature(), r.body(), now))
            .as("signature of %s", r).isTrue();
        assertThat(StandardWebhooksVerifier.verify(key.webhookSecret(), r.id(), r.timestamp(), r.signature(), r.body() + " ", now))
            .as("a changed body must not verify").isFalse();
      }
      JsonObject payload = new JsonObject(got.get(2).body());
      assertThat(payload.fieldNames()).containsExactlyInAnyOrder("type", "timestamp", "data");
      assertThat(payload.getString("type")).isEqualTo("job.succeeded");
      JsonObject data = payload.getJsonObject("data");
      assertThat(data.getString("id")).isEqualTo(jobId);
      assertThat(data.getString("status")).isEqualTo("succeeded");
      assertThat(data.getString("finished_at")).isEqualTo(payload.getString("timestamp"));
      assertThat(data.getJsonArray("images").getJsonObject(0).getString("url")).startsWith("http");
      assertThat(got.get(2).body().length()).isLessThan(8 * 1024);

      JsonObject job = api.awaitJob(key, jobId, j -> "delivered".equals(j.getString("webhook_status")), WAIT);
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getString("webhook_url")).isEqualTo(receiver.url("/hooks/vegart?source=it"));
      assertThat(job.getJsonArray("webhook_events").getList())
          .containsExactlyInAnyOrder("job.succeeded", "job.failed", "job.canceled", "job.expired");

      JsonObject log = api.deliveries(key, jobId);
      JsonObject delivery = log.getJsonArray("deliveries").getJsonObject(0);
      assertThat(delivery.getString("id")).isEqualTo(got.get(0).id());
      assertThat(delivery.getString("status")).isEqualTo("delivered");
      assertThat(delivery.getInteger("attempt_count")).isEqualTo(3);
      assertThat(WebhookClient.attempts(log).stream().map(a -> ((JsonObject) a).getInteger("http_status")))
          .containsExactly(500, 500, 200);
    }
  }

  @Test
  void everyAttemptCarriesTheTraceIdTheClientSentWithASpanIdOfItsOwn() throws Exception {
    WebhookClient.Key key = api.createKey(stack.adminToken());
    TraceContext sent = TraceContext.newRoot();
    try (Receiver receiver = new Receiver(r -> Answer.of(r.number() == 1 ? 503 : 200))) {
      api.submitTraced(key, receiver.url("/traced"), sent);

      List<Received> got = receiver.await(2, WAIT);
      List<TraceContext> traces = got.stream()
          .map(r -> TraceContext.parse(r.traceparent()).orElseThrow(() -> new AssertionError("no valid traceparent in " + r)))
          .toList();
      assertThat(traces).extracting(TraceContext::traceId).containsOnly(sent.traceId());
      assertThat(traces).extracting(TraceContext::spanId).doesNotContain(sent.spanId()).doesNotHaveDuplicates();
      assertThat(traces).extracting(TraceContext::sampled).containsOnly(true);
    }
  }

  @Test
  void redirectIsNotFollowedAndCountsAsAFailedAttempt() throws Exception {
    WebhookClient.Key key = api.createKey(stack.adminToken());
    try (Receiver receiver = new Receiver(r -> r.path().startsWith("/moved")
        ? Answer.of(200) : new Answer(301, Map.of("Location", "/moved-here")))) {
      String jobId = api.submitAccepted(key, receiver.url("/old"), null);
      JsonObject log = api.awaitDeliveries(key, jobId, l -> WebhookClient.attempts(l).size() >= 2, WAIT);
      JsonObject first = WebhookClient.attempts(log).getJsonObject(0);
      assertThat(first.getInteger("http_status")).isEqualTo(301);
      assertThat(first.getString("error")).contains("redirects are not followed").contains("/moved-here");
      assertThat(first.getString("next_attempt_at")).isNotNull();
      assertThat(receiver.received()).extracting(Received::path).containsOnly("/old");
      assertThat(api.job(key, jobId).getString("webhook_status")).isIn("retrying", "failed");
    }
  }

  @Test
  void goneDisablesTheEndpointForTheKeyUntilARedeliverWhichSignsWithBothSecretsDuringARotation() throws Exception {
    WebhookClient.Key key = api.createKey(stack.adminToken());
    try (Receiver receiver = new Receiver(r -> Answer.of(410))) {
      String url = receiver.url("/gone");
      String jobId = api.submitAccepted(key, url, null);
      api.awaitJob(key, jobId, j -> "disabled".equals(j.getString("webhook_status")), WAIT);
      assertThat(receiver.received()).hasSize(1);

      HttpResponse<String> refused = api.submit(key, url, null);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(refused.body()).contains("webhook_url").contains("410");

      HttpResponse<String> rotated = api.rotate(key, 3600);
      assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
      String newSecret = new JsonObject(rotated.body()).getString("webhook_secret");
      assertThat(newSecret).startsWith("whsec_").isNotEqualTo(key.webhookSecret());

      receiver.answer(r -> Answer.of(204));
      HttpResponse<String> redeliver = api.redeliver(key, jobId);
      assertThat(redeliver.statusCode()).as(redeliver.body()).isEqualTo(202);
      List<Received> got = receiver.await(2, WAIT);
      Received again = got.get(1);
      assertThat(again.id()).isEqualTo(got.get(0).id());
      assertThat(again.signature().split(" ")).hasSize(2);
      long now = Instant.now().getEpochSecond();
      assertThat(StandardWebhooksVerifier.verify(newSecret, again.id(), again.timestamp(), again.signature(), again.body(), now)).isTrue();
      assertThat(StandardWebhooksVerifier.verify(key.webhookSecret(), again.id(), again.timestamp(), again.signature(), again.body(), now))
          .isTrue();
      api.awaitJob(key, jobId, j -> "delivered".equals(j.getString("webhook_status")), WAIT);
      assertThat(api.submit(key, url, null).statusCode()).isEqualTo(202);
    }
  }

  @Test
  void startedEventIsSentWhenTheJobSubscribesToIt() throws Exception {
    WebhookClient.Key key = api.createKey(stack.adminToken());
    try (Receiver receiver = new Receiver(r -> Answer.of(200))) {
      String jobId = api.submitAccepted(key, receiver.url("/events"), new JsonArray().add("job.started").add("job.succeeded"));
      List<Received> got = receiver.await(2, WAIT);
      assertThat(got).extracting(r -> new JsonObject(r.body()).getString("type"))
          .containsExactlyInAnyOrder("job.started", "job.succeeded");
      assertThat(got).extracting(Received::id).doesNotHaveDuplicates();
      api.awaitJob(key, jobId, j -> "delivered".equals(j.getString("webhook_status")), WAIT);
      assertThat(api.deliveries(key, jobId).getJsonArray("deliveries")).hasSize(2);
    }
  }
}
