package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key: a replay returns the first job and is never charged twice, even when the repeats race. */
class IdempotencyIT {
  private static LocalStack stack;
  private static Http http;
  private static Http parked;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    parked = new Http(ExtraGateway.parked().url());
  }

  @Test
  void aReplayReturnsTheOriginalJobWithoutASecondCharge() {
    String key = http.createKey(stack.adminToken(), "free");
    String body = "{\"prompt\": \"once\", \"width\": 64, \"height\": 64, \"num_images\": 2}";
    HttpResponse<String> first = post(parked, body, key, "order-17");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    // Same request with its keys in another order and other spacing: still the same request.
    HttpResponse<String> again = post(http, "{ \"num_images\": 2, \"height\": 64, \"width\": 64, \"prompt\": \"once\" }", key, "order-17");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    String id = new JsonObject(first.body()).getString("id");
    assertThat(new JsonObject(again.body()).getString("id")).isEqualTo(id);
    // The random seed was drawn once: the replay shows the same.
    assertThat(new JsonObject(again.body()).getLong("seed")).isEqualTo(new JsonObject(first.body()).getLong("seed"));
    assertThat(usage(key)).isEqualTo(2);

    Problems.assertProblem(post(http, "{\"prompt\": \"twice\", \"width\": 64, \"height\": 64}", key, "order-17"), 422, "Idempotency-Key");
    assertThat(usage(key)).isEqualTo(2);
    // Keys are scoped to the API key: another caller's identical key is a different request.
    String other = http.createKey(stack.adminToken(), "free");
    HttpResponse<String> theirs = post(parked, body, other, "order-17");
    assertThat(new JsonObject(theirs.body()).getString("id")).isNotEqualTo(id);
    JobLifecycleITSupport.cancel(http, id, key);
    JobLifecycleITSupport.cancel(http, new JsonObject(theirs.body()).getString("id"), other);
  }

  @Test
  void concurrentRepeatsCreateOneJob() throws Exception {
    String key = http.createKey(stack.adminToken(), "free");
    String body = "{\"prompt\": \"raced\", \"width\": 64, \"height\": 64}";
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Http via = i % 2 == 0 ? http : parked;
      sent.add(CompletableFuture.supplyAsync(() -> post(via, body, key, "race-1")));
    }
    Set<String> ids = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
      ids.add(new JsonObject(r.body()).getString("id"));
    }
    assertThat(ids).hasSize(1);
    assertThat(usage(key)).isEqualTo(1);
    JobLifecycleITSupport.cancel(http, ids.iterator().next(), key);
  }

  @Test
  void aMalformedKeyIsRefusedNamingTheHeader() {
    String key = http.createKey(stack.adminToken(), "free");
    Problems.assertProblem(post(http, "{\"prompt\": \"x\", \"width\": 64, \"height\": 64}", key, "k".repeat(256)), 400, "Idempotency-Key");
    assertThat(usage(key)).isZero();
  }

  private static HttpResponse<String> post(Http via, String body, String key, String idempotencyKey) {
    return via.send("POST", "/v1/jobs", body, Map.of("Content-Type", "application/json", "x-api-key", key,
        "Idempotency-Key", idempotencyKey));
  }

  private static int usage(String key) {
    return new JsonObject(http.get("/v1/usage", key).body()).getInteger("used");
  }
}
