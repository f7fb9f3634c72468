package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} matches the implementation: live responses of every operation, successes and
 * problems, validate against the document's status codes, headers and schemas, and every route the gateway
 * mounts is in the document.
 */
class OpenApiContractIT {
  private static LocalStack stack;
  private static Http http;
  private static Http parked;
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static ResponseValidator validator;
  private static final Map<String, List<Integer>> checked = new HashMap<>();
  /** Mounted but deliberately left out of the document: the playground page with its assets (a browser page, not API). */
  private static final Set<String> UNDOCUMENTED = Set.of("GET /*");
  /** A webhook receiver on loopback that acknowledges everything. */
  private static HttpServer receiver;

  @BeforeAll
  static void start() throws Exception {
    stack = SharedStack.get();
    http = new Http(stack.url());
    parked = new Http(ExtraGateway.parked().url());
    vertx = Vertx.vertx();
    HttpResponse<String> doc = http.send("GET", "/openapi.json", null, Map.of());
    assertThat(doc.statusCode()).isEqualTo(200);
    contract = OpenAPIContract.from(vertx, forValidator(new JsonObject(doc.body())))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    validator = ResponseValidator.create(vertx, contract);
    receiver = vertx.createHttpServer().requestHandler(r -> r.response().setStatusCode(204).end())
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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
    String hook = "http://127.0.0.1:" + receiver.actualPort() + "/hook";
    HttpResponse<String> done = http.send("POST", "/v1/jobs", "{\"prompt\": \"d\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64, "
        + "\"webhook_url\": \"" + hook + "\", \"webhook_events\": [\"job.succeeded\"]}", withHeader(json, "Prefer", "wait=50"));
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

    HttpResponse<String> stream = http.send("GET", "/v1/jobs/" + doneId + "/events", null, Map.of("x-api-key", key, "Accept", "text/event-stream"));
    check("streamJobEvents", stream);
    assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
    assertThat(jobEvents(stream.body())).as("the stream of an ended job: the job, then its end").last()
        .satisfies(job -> assertThat(job.getString("status")).isEqualTo("succeeded"));
    check("streamJobEvents", http.get("/v1/jobs/job_none/events", key));
    check("streamJobEvents", http.get("/v1/jobs/" + doneId + "/events", "vr_wrong"));

    check("listWebhookDeliveries", awaitDelivered(doneId, key));
    check("listWebhookDeliveries", http.get("/v1/jobs/" + queuedId + "/webhook-deliveries", key));
    check("listWebhookDeliveries", http.get("/v1/jobs/job_none/webhook-deliveries", key));
    check("redeliverWebhook", http.send("POST", "/v1/jobs/" + doneId + "/webhook-deliveries/redeliver", null, Map.of("x-api-key", key)));
    check("redeliverWebhook", http.send("POST", "/v1/jobs/" + queuedId + "/webhook-deliveries/redeliver", null, Map.of("x-api-key", key)));
    check("rotateWebhookSecret", http.send("POST", "/v1/webhook-secret/rotate", "{\"previous_secret_valid_seconds\": 60}", json));
    check("rotateWebhookSecret", http.send("POST", "/v1/webhook-secret/rotate", null, Map.of("x-api-key", key)));
    check("rotateWebhookSecret", http.send("POST", "/v1/webhook-secret/rotate", "{\"previous_secret_valid_seconds\": -1}", json));

    check("healthLive", http.send("GET", "/health/live", null, Map.of()));
    check("healthReady", http.send("GET", "/health/ready", null, Map.of()));
    check("metrics", http.send("GET", "/metrics", null, Map.of()));
    // The successes and problems these answered were the intended ones, so each of their schemas was exercised.
    assertThat(checked).containsEntry("streamJobEvents", List.of(200, 404, 401))
        .containsEntry("listWebhookDeliveries", List.of(200, 200, 404))
        .containsEntry("redeliverWebhook", List.of(202, 409))
        .containsEntry("rotateWebhookSecret", List.of(200, 200, 400))
        .containsEntry("healthReady", List.of(200));

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

  @Test
  void everyMountedRouteIsDocumentedAndEveryDocumentedOneMounted() {
    Set<String> documented = new TreeSet<>();
    contract.operations().forEach(op -> documented.add(op.getHttpMethod().name() + " " + op.getOpenAPIPath()));
    List<MountedRoute> mounted = MountedRoute.of(stack.gateway().router()).stream()
        .filter(r -> !UNDOCUMENTED.contains(r.toString())).toList();
    Set<String> found = new TreeSet<>();
    mounted.forEach(r -> found.add(r.method() + " " + r.documentedForm()));
    assertThat(found).as("every mounted route is in /openapi.json (or, for a page that is not API, in UNDOCUMENTED)")
        .isEqualTo(documented);
  }

  /**
   * vertx-openapi knows only some media types and validates only JSON bodies: problem+json bodies are validated as
   * the JSON they are; the JPEG, the event stream and the metrics text keep their status and headers checked but
   * lose their schema (the test reads the event stream itself). The document served stays exactly as written.
   */
  private static JsonObject forValidator(JsonObject document) {
    JsonObject copy = new JsonObject(forValidator(document.encode()));
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      JsonObject responses = ((JsonObject) op.getValue()).getJsonObject("responses");
      responses.forEach(r -> {
        JsonObject content = ((JsonObject) r.getValue()).getJsonObject("content", new JsonObject());
        content.fieldNames().stream().filter(type -> !type.equals("application/json")).forEach(type -> content.put(type, new JsonObject()));
      });
    }));
    return copy;
  }

  /** Media type names as vertx-openapi knows them, in a document or a header. */
  private static String forValidator(String mediaTypes) {
    return mediaTypes.replace("application/problem+json", "application/json").replace("image/jpeg", "application/octet-stream")
        .replace("text/event-stream", "text/plain");
  }

  /** The data of each {@code event: job} of a server-sent event stream. */
  private static List<JsonObject> jobEvents(String stream) {
    List<JsonObject> jobs = new ArrayList<>();
    for (String event : stream.split("\n\n")) {
      if (event.startsWith("event: job\n")) {
        jobs.add(new JsonObject(event.substring(event.indexOf("data: ") + "data: ".length())));
      }
    }
    return jobs;
  }

  /** Polls the job's delivery log until its webhook was delivered, and answers that read. */
  private static HttpResponse<String> awaitDelivered(String jobId, String key) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    HttpResponse<String> log;
    do {
      log = http.get("/v1/jobs/" + jobId + "/webhook-deliveries", key);
      if (log.statusCode() == 200 && "delivered".equals(new JsonObject(log.body()).getString("webhook_status"))) {
        return log;
      }
      LockSupport.parkNanos(100_000_000L);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the webhook of " + jobId + " was not delivered within 30 s: " + log.body());
  }

  private static Map<String, String> withHeader(Map<String, String> headers, String name, String value) {
    Map<String, String> out = new HashMap<>(headers);
    out.put(name, value);
    return out;
  }

  private static void check(String operationId, HttpResponse<String> response) {
    Map<String, String> headers = new HashMap<>();
    response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
    // The validator looks the body's media type up by its exact name: parameters (charset, Prometheus' version) dropped.
    String type = response.headers().firstValue("Content-Type").map(v -> forValidator(v.split(";")[0].strip())).orElse(null);
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
