package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every listed bad input gets a 4xx problem+json naming the field (and its allowed values), never a 5xx, never a charge. */
class ValidationIT {
  private static LocalStack stack;
  private static Http http;
  private static String key;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    key = http.createKey(stack.adminToken(), "free");
  }

  static Stream<Arguments> badJobs() {
    return Stream.of(
        Arguments.of("{}", 400, "prompt"),
        Arguments.of("{\"prompt\": \"\"}", 400, "prompt"),
        Arguments.of("{\"prompt\": \"   \"}", 400, "prompt"),
        Arguments.of("{\"prompt\": \"" + "x".repeat(2001) + "\"}", 400, "prompt"),
        Arguments.of("{\"prompt\": 42}", 400, "prompt"),
        Arguments.of("{\"prompt\": \"x\", \"num_inference_steps\": 0}", 400, "num_inference_steps"),
        Arguments.of("{\"prompt\": \"x\", \"num_inference_steps\": 9}", 400, "num_inference_steps"),
        Arguments.of("{\"prompt\": \"x\", \"num_inference_steps\": 2.5}", 400, "num_inference_steps"),
        Arguments.of("{\"prompt\": \"x\", \"num_inference_steps\": \"4\"}", 400, "num_inference_steps"),
        Arguments.of("{\"prompt\": \"x\", \"width\": 1000, \"height\": 1000}", 400, "512x512"),
        Arguments.of("{\"prompt\": \"x\", \"width\": 512}", 400, "width"),
        Arguments.of("{\"prompt\": \"x\", \"height\": 99999999999}", 400, "height"),
        Arguments.of("{\"prompt\": \"x\", \"seed\": -1}", 400, "seed"),
        Arguments.of("{\"prompt\": \"x\", \"seed\": 9007199254740992}", 400, "seed"),
        Arguments.of("{\"prompt\": \"x\", \"seed\": 1.5}", 400, "seed"),
        Arguments.of("{\"prompt\": \"x\", \"num_images\": 0}", 400, "num_images"),
        Arguments.of("{\"prompt\": \"x\", \"num_images\": 5}", 400, "num_images"),
        Arguments.of("{\"prompt\": \"x\", \"output_format\": \"gif\"}", 400, "webp"),
        Arguments.of("{\"prompt\": \"x\", \"decoder\": \"turbo\"}", 400, "decoder"),
        Arguments.of("{\"prompt\": \"x\", \"cancel_after_seconds\": 0}", 400, "cancel_after_seconds"),
        Arguments.of("{\"prompt\": \"x\", \"cancel_after_seconds\": 86401}", 400, "cancel_after_seconds"),
        Arguments.of("{\"prompt\": \"x\", \"colour\": \"red\"}", 400, "colour"),
        Arguments.of("{\"prompt\": \"x\", \"prompt\": \"y\"}", 400, "JSON"),
        Arguments.of("{\"prompt\": ", 400, "JSON"),
        Arguments.of("[1, 2]", 400, "body"),
        Arguments.of("\"prompt\"", 400, "body"),
        Arguments.of("", 400, "body"),
        Arguments.of("{\"prompt\": \"" + "x".repeat(70_000) + "\"}", 413, "body"));
  }

  @ParameterizedTest
  @MethodSource("badJobs")
  void badJobRequestsAreRefusedNamingTheField(String body, int status, String named) {
    Problems.assertProblem(http.postJson("/v1/jobs", body, key), status, named);
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isZero();
  }

  static Stream<Arguments> badHeaders() {
    return Stream.of(
        Arguments.of(Map.of("Content-Type", "text/plain"), 415, "application/json"),
        Arguments.of(Map.of("Content-Type", "application/json", "Prefer", "wait=61"), 400, "Prefer"),
        Arguments.of(Map.of("Content-Type", "application/json", "Prefer", "wait=soon"), 400, "Prefer"),
        Arguments.of(Map.of("Content-Type", "application/json", "Idempotency-Key", ""), 400, "Idempotency-Key"),
        Arguments.of(Map.of("Content-Type", "application/json", "Idempotency-Key", "k".repeat(256)), 400, "Idempotency-Key"));
  }

  @ParameterizedTest
  @MethodSource("badHeaders")
  void badHeadersAreRefusedNamingTheHeader(Map<String, String> headers, int status, String named) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("x-api-key", key);
    Problems.assertProblem(http.send("POST", "/v1/jobs", "{\"prompt\": \"x\", \"width\": 64, \"height\": 64}", all), status, named);
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isZero();
  }

  static Stream<Arguments> badCalls() {
    return Stream.of(
        Arguments.of("GET", "/v1/jobs/job_x/images/-1", null, 400, "index"),
        Arguments.of("GET", "/v1/jobs/job_x/images/abc", null, 400, "index"),
        Arguments.of("GET", "/v1/jobs/" + "j".repeat(300), null, 404, "job"),
        Arguments.of("DELETE", "/v1/jobs/job_x", null, 404, "job_x"),
        Arguments.of("GET", "/v1/nothing-here", null, 404, "no such resource"));
  }

  @ParameterizedTest
  @MethodSource("badCalls")
  void badCallsAre4xx(String method, String path, String body, int status, String named) {
    Problems.assertProblem(http.send(method, path, body, Map.of("x-api-key", key)), status, named);
  }

  static Stream<Arguments> badAdminCalls() {
    return Stream.of(
        Arguments.of("POST", "/admin/v1/keys", "{\"tier\": \"platinum\"}", 400, "free"),
        Arguments.of("POST", "/admin/v1/keys", "{\"tier\": 3}", 400, "tier"),
        Arguments.of("POST", "/admin/v1/keys", "{\"name\": \"\"}", 400, "name"),
        Arguments.of("POST", "/admin/v1/keys", "{\"owner\": \"me\"}", 400, "owner"),
        Arguments.of("POST", "/admin/v1/keys", "[]", 400, "body"),
        Arguments.of("POST", "/admin/v1/keys", "{", 400, "JSON"),
        Arguments.of("GET", "/admin/v1/keys?limit=0", null, 400, "limit"),
        Arguments.of("GET", "/admin/v1/keys?limit=x", null, 400, "limit"),
        Arguments.of("DELETE", "/admin/v1/keys/key_nope", null, 404, "key_nope"),
        Arguments.of("GET", "/admin/v1/keys/key_nope/usage", null, 404, "key_nope"));
  }

  @ParameterizedTest
  @MethodSource("badAdminCalls")
  void badAdminCallsAre4x(String method, String path, String body, int status, String named) {
    Problems.assertProblem(http.send(method, path, body, Map.of("Content-Type", "application/json",
        "Authorization", "Bearer " + stack.adminToken())), status, named);
  }

  @org.junit.jupiter.api.Test
  void aRevokedKeyIsRefusedAndListedAsRevoked() {
    HttpResponse<String> created = http.send("POST", "/admin/v1/keys", "{\"tier\": \"free\", \"name\": \"to revoke\"}",
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + stack.adminToken()));
    JsonObject body = new JsonObject(created.body());
    assertThat(body.getString("webhook_secret")).startsWith("whsec_");
    String revokedKey = body.getString("key");
    assertThat(http.get("/v1/usage", revokedKey).statusCode()).isEqualTo(200);
    Map<String, String> admin = Map.of("Authorization", "Bearer " + stack.adminToken());
    assertThat(http.send("DELETE", "/admin/v1/keys/" + body.getString("id"), null, admin).statusCode()).isEqualTo(204);
    assertThat(http.send("DELETE", "/admin/v1/keys/" + body.getString("id"), null, admin).statusCode()).isEqualTo(204);
    Problems.assertProblem(http.get("/v1/usage", revokedKey), 401, "revoked");
    JsonObject usage = new JsonObject(http.send("GET", "/admin/v1/keys/" + body.getString("id") + "/usage", null, admin).body());
    assertThat(usage.getInteger("used")).isZero();
    boolean listed = false;
    String after = null;
    do {
      JsonObject page = new JsonObject(http.send("GET", "/admin/v1/keys?limit=50" + (after == null ? "" : "&after=" + after), null,
          admin).body());
      for (Object k : page.getJsonArray("keys")) {
        JsonObject item = (JsonObject) k;
        assertThat(item.containsKey("key")).isFalse();
        if (item.getString("id").equals(body.getString("id"))) {
          listed = item.getString("revoked_at") != null;
        }
      }
      after = page.getString("next_after");
    } while (after != null && !listed);
    assertThat(listed).isTrue();
  }
}
