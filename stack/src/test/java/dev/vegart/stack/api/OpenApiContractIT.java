package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} matches the implementation: live responses of every operation, successes and
 * problems, validate against the document's status codes, headers and schemas.
 */
class OpenApiContractIT {
  private static LocalStack stack;
  private static Http http;
  private static Http parked;
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static ResponseValidator validator;
  private static final Map<String, List<Integer>> checked = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    stack = SharedStack.get();
    http = new Http(stack.url());
    parked = new Http(ExtraGateway.parked().url());
    vertx = Vertx.vertx();
    HttpResponse<String> doc = http.send("GET", "/openapi.json", null, Map.of());
    assertThat(doc.statusCode()).isEqualTo(200);
    contract = OpenAPIContract.from(vertx, new JsonObject(forValidator(doc.body())))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    validator = ResponseValidator.create(vertx, contract);
    check("openApi", doc);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @Test
  void liveResponsesOfEveryOperationMatchTheDocument() {
    String key = http.createKey(stack.adminToken(), "free");
    Map<String, String> json = Map.of("Content-Type", "application/json", "x-api-key", key);
    Map<String, String> admin = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + stack.adminToken());

    HttpResponse<String> queued = parked.postJson("/v1/jobs", "{\"prompt\": \"q\", \"width\": 64, \"height\": 64, \"cancel_after_seconds\": 600}", key);
    check("submitJob", queued);
    String queuedId = new JsonObject(queued.body()).getString("id");
    HttpResponse<String> done = http.send("POST", "/v1/jobs", "{\"prompt\": \"d\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64}",
        withHeader(json, "Prefer", "wait=50"));
    check("submitJob", done);
    String doneId = new JsonObject(done.body()).getString("id");
    check("submitJob", http.postJson("/v1/jobs", "{\"prompt\": 1, \"width\": 7}", key));
    check("submitJob", http.send("POST", "/v1/jobs", "x", Map.of("Content-Type", "text/plain", "x-api-key", key)));
    check("submitJob", http.send("POST", "/v1/jobs", "{\"prompt\": \"a\", \"width\": 64, \"height\": 64}", withHeader(json, "Idempotency-Key", "c1")));
    check("submitJob", http.send("POST", "/v1/jobs", "{\"prompt\": \"b\", \"width\": 64, \"height\": 64}", withHeader(json, "Idempotency-Key", "c1")));
    check("submitJob", http.postJson("/v1/jobs", "{\"prompt\": \"x\"}", "vr_wrong"));

    check("getJob", http.get("/v1/jobs/" + queuedId, key));
    check("getJob", http.get("/v1/jobs/" + doneId, key));
    check("getJob", http.get("/v1/jobs/job_none", key));
    check("getImage", http.get("/v1/jobs/" + doneId + "/images/0", key));
    check("getImage", http.get("/v1/jobs/" + doneId + "/images/5", key));
    check("getUsage", http.get("/v1/usage", key));

    check("cancelJob", http.send("DELETE", "/v1/jobs/" + queuedId, null, Map.of("x-api-key", key)));
    check("cancelJob", http.send("DELETE", "/v1/jobs/" + queuedId, null, Map.of("x-api-key", key)));
    check("cancelJob", http.send("DELETE", "/v1/jobs/job_none", null, Map.of("x-api-key", key)));

    check("segmindVegaRt", http.postJson("/v1/segmind-vega-rt-v1",
        "{\"prompt\": \"s\", \"num_inference_steps\": 1, \"img_width\": 64, \"img_height\": 64, \"base64\": true}", key));
    check("segmindVegaRt", http.postJson("/v1/segmind-vega-rt-v1", "{\"prompt\": \"s\", \"img_width\": 65}", key));

    HttpResponse<String> created = http.send("POST", "/admin/v1/keys", "{\"tier\": \"pro\", \"name\": \"contract\"}", admin);
    check("createKey", created);
    check("createKey", http.send("POST", "/admin/v1/keys", "{\"tier\": \"nope\"}", admin));
    check("createKey", http.send("POST", "/admin/v1/keys", "{}", Map.of("Content-Type", "application/json")));
    String createdId = new JsonObject(created.body()).getString("id");
    check("listKeys", http.send("GET", "/admin/v1/keys?limit=2", null, admin));
    check("getKeyUsage", http.send("GET", "/admin/v1/keys/" + createdId + "/usage", null, admin));
    check("revokeKey", http.send("DELETE", "/admin/v1/keys/" + createdId, null, admin));
    check("revokeKey", http.send("DELETE", "/admin/v1/keys/key_none", null, admin));

    // A refused submit of an exhausted key (parked jobs, canceled afterwards).
    List<String> parkedJobs = new ArrayList<>();
    HttpResponse<String> refused = null;
    for (int i = 0; i < 40 && refused == null; i++) {
      HttpResponse<String> r = parked.postJson("/v1/jobs", "{\"prompt\": \"p\", \"width\": 64, \"height\": 64, \"num_images\": 4}", key);
      if (r.statusCode() == 202) {
        parkedJobs.add(new JsonObject(r.body()).getString("id"));
      } else if (r.statusCode() == 429) {
        refused = r;
      }
    }
    assertThat(refused).as("the key's quota ran out").isNotNull();
    check("submitJob", refused);
    parkedJobs.forEach(id -> JobLifecycleITSupport.cancel(http, id, key));

    List<String> operations = contract.operations().stream().map(Operation::getOperationId).toList();
    assertThat(new TreeSet<>(checked.keySet())).containsExactlyInAnyOrderElementsOf(new TreeSet<>(operations));
  }

  /**
   * vertx-openapi validates only some media types: problem+json bodies are validated as the JSON they are and
   * the JPEG as opaque bytes. The document served stays exactly as written.
   */
  private static String forValidator(String document) {
    return document.replace("application/problem+json", "application/json").replace("image/jpeg", "application/octet-stream");
  }

  private static Map<String, String> withHeader(Map<String, String> headers, String name, String value) {
    Map<String, String> out = new HashMap<>(headers);
    out.put(name, value);
    return out;
  }

  private static void check(String operationId, HttpResponse<String> response) {
    Map<String, String> headers = new HashMap<>();
    response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
    String type = response.headers().firstValue("Content-Type").map(OpenApiContractIT::forValidator).orElse(null);
    headers.computeIfPresent("content-type", (k, v) -> forValidator(v));
    // RFC 8941 strings open with a quote, which vertx-openapi's header decoder takes for JSON and refuses; QuotaIT
    // checks these two headers' exact form.
    headers.keySet().removeIf(name -> name.equalsIgnoreCase("RateLimit") || name.equalsIgnoreCase("RateLimit-Policy"));
    Buffer body = response.body() == null || response.body().isEmpty() ? null : Buffer.buffer(response.body());
    ValidatableResponse live = body == null
        ? ValidatableResponse.create(response.statusCode(), headers)
        : ValidatableResponse.create(response.statusCode(), headers, body, type);
    try {
      validator.validate(live, operationId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(operationId + " answered " + response.statusCode() + " " + response.body()
          + ", which the document does not allow: " + e.getCause(), e);
    }
    checked.computeIfAbsent(operationId, k -> new ArrayList<>()).add(response.statusCode());
  }
}
