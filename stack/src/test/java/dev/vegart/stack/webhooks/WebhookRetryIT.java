package dev.vegart.stack.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.gateway.Gateway;
import dev.vegart.gateway.GatewayConfig;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import dev.vegart.stack.webhooks.Receiver.Answer;
import dev.vegart.stack.webhooks.Receiver.Received;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retries on the schedule (here {@code 0s,1s,2s,2s,2s,2s,2s,2s}) and delivery across a gateway restart. */
class WebhookRetryIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static LocalStack stack;
  private static WebhookClient api;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    api = new WebhookClient(new Http(stack.url()));
  }

  @Test
  void receiverThatIsDownGetsRetriesOnTheScheduleWhileTheJobItselfSucceeded() throws Exception {
    WebhookClient.Key key = api.createKey(stack.adminToken());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    String jobId = api.submitAccepted(key, "http://127.0.0.1:" + closedPort + "/down", null);
    JsonObject job = api.awaitJob(key, jobId, j -> "succeeded".equals(j.getString("status")), WAIT);
    assertThat(job.getString("webhook_status")).isIn("pending", "retrying");

    JsonObject log = api.awaitDeliveries(key, jobId, l -> "failed".equals(l.getString("webhook_status")), WAIT);
    JsonArray attempts = WebhookClient.attempts(log);
    assertThat(attempts).hasSize(8);
    List<Instant> at = attempts.stream().map(a -> Instant.parse(((JsonObject) a).getString("at"))).toList();
    // The schedule's gaps (1s, then 2s) with up to 10% jitter, plus the 200 ms poll and the attempt itself.
    assertThat(Duration.between(at.get(0), at.get(1)).toMillis()).isBetween(850L, 4000L);
    for (int i = 2; i < at.size(); i++) {
      assertThat(Duration.between(at.get(i - 1), at.get(i)).toMillis()).as("gap before attempt %d", i + 1).isBetween(1750L, 5000L);
    }
    for (Object a : attempts) {
      JsonObject attempt = (JsonObject) a;
      assertThat(attempt.getInteger("http_status")).isNull();
      assertThat(attempt.getString("error")).isNotBlank();
    }
    assertThat(attempts.getJsonObject(6).getString("next_attempt_at")).isNotNull();
    assertThat(attempts.getJsonObject(7).getString("next_attempt_at")).isNull();
    JsonObject after = api.job(key, jobId);
    assertThat(after.getString("status")).isEqualTo("succeeded");
    assertThat(after.getString("webhook_status")).isEqualTo("failed");
  }

  @Test
  void aGatewayRestartedInTheMiddleOfTheRetriesStillDelivers() throws Exception {
    WebhookClient.Key key = api.createKey(stack.adminToken());
    AtomicBoolean up = new AtomicBoolean(false);
    stack.gateway().webhookDelivery().pause();
    try (Receiver receiver = new Receiver(r -> Answer.of(up.get() ? 200 : 500))) {
      Vertx firstVertx = Vertx.vertx();
      Gateway first = startGateway(firstVertx);
      String jobId = api.submitAccepted(key, receiver.url("/restart"), null);
      receiver.await(2, WAIT);
      first.close();
      firstVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      int beforeRestart = receiver.received().size();
      String firstOwner = first.webhookDelivery().owner();

      up.set(true);
      Vertx secondVertx = Vertx.vertx();
      Gateway second = startGateway(secondVertx);
      try {
        api.awaitJob(key, jobId, j -> "delivered".equals(j.getString("webhook_status")), WAIT);
        List<Received> got = receiver.received();
        assertThat(got.size()).isGreaterThan(beforeRestart);
        assertThat(got).extracting(Received::id).containsOnly(got.get(0).id());
        JsonArray attempts = WebhookClient.attempts(api.deliveries(key, jobId));
        Set<String> gateways = new HashSet<>();
        attempts.forEach(a -> gateways.add(((JsonObject) a).getString("gateway")));
        assertThat(gateways).contains(firstOwner, second.webhookDelivery().owner());
        JsonObject last = attempts.getJsonObject(attempts.size() - 1);
        assertThat(last.getInteger("http_status")).isEqualTo(200);
        assertThat(last.getInteger("attempt")).isEqualTo(attempts.size()).isGreaterThanOrEqualTo(2);
      } finally {
        second.close();
        secondVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      stack.gateway().webhookDelivery().resume();
    }
  }

  private static Gateway startGateway(Vertx vertx) throws Exception {
    GatewayConfig config = GatewayConfig.from(stack.env().with(Map.of("VEGART_HTTP_PORT", "0")));
    return Gateway.start(vertx, config, stack.s3Credentials()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
