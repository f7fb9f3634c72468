package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The daily quota is exact across gateway replicas, reported in headers and /v1/usage, and 429s cost nothing. */
class QuotaIT {
  private static LocalStack stack;
  private static Http http;
  private static ExtraGateway second;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    // Both gateways park their jobs (no worker runs them): the test is about admission, and 100 jobs must not
    // keep the shared CPU worker busy for the tests after it.
    second = ExtraGateway.start(ExtraGateway.PARKED);
  }

  @AfterAll
  static void stop() {
    second.close();
  }

  @Test
  void threeHundredConcurrentSubmitsOverTwoGatewaysGrantExactlyTheFreeLimit() throws Exception {
    String key = http.createKey(stack.adminToken(), "free");
    String body = "{\"prompt\": \"a dot\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64}";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    warmUp(client, key);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    long toMidnightBefore = secondsToMidnight();
    for (int i = 0; i < 300; i++) {
      String base = i % 2 == 0 ? ExtraGateway.parked().url() : second.url();
      sent.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/jobs"))
          .timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").header("x-api-key", key)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    long toMidnightAfter = secondsToMidnight();

    int accepted = 0;
    int refused = 0;
    int unavailable = 0;
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).as(r.body()).isIn(202, 429, 503);
      if (r.statusCode() != 503) {
        assertThat(r.headers().firstValue("RateLimit-Policy")).hasValue("\"daily\";q=100;w=86400");
        assertThat(r.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).matches("\"daily\";r=\\d+;t=\\d+"));
      }
      if (r.statusCode() == 202) {
        accepted++;
      } else if (r.statusCode() == 429) {
        refused++;
        Problems.assertProblem(r, 429, "100 images per UTC day");
        long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(toMidnightAfter - 1, toMidnightBefore + 1);
        assertThat(r.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"daily\";r=0;");
      } else {
        // Overload (the database pool's 5 s wait ran out on this shared machine): refused before any charge.
        unavailable++;
        Problems.assertProblem(r, 503, "retry later");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
      }
    }
    System.out.printf("300 concurrent submits over two gateways: %d accepted, %d quota-refused, %d unavailable%n",
        accepted, refused, unavailable);
    assertThat(300 - unavailable).as("submits that reached the quota, at least the limit").isGreaterThanOrEqualTo(100);
    assertThat(accepted).isEqualTo(100);
    assertThat(refused + unavailable).isEqualTo(200);

    JsonObject usage = new JsonObject(http.get("/v1/usage", key).body());
    assertThat(usage.getInteger("limit")).isEqualTo(100);
    assertThat(usage.getInteger("used")).isEqualTo(100);
    assertThat(usage.getInteger("remaining")).isZero();
    assertThat(usage.getString("tier")).isEqualTo("free");
    assertThat(usage.getString("day")).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(Instant.parse(usage.getString("resets_at")))
        .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());

    // Canceling the queued jobs refunds each one image. (A parked job can still reach the worker: the main
    // gateway's outbox relay republishes, to the real jobs topic, any job whose publish was not marked within
    // 2 s, which happens under this load; a job canceled while running keeps its charge.)
    int refunded = 0;
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      if (f.get().statusCode() == 202) {
        String id = new JsonObject(f.get().body()).getString("id");
        HttpResponse<String> cancel = http.send("DELETE", "/v1/jobs/" + id, null, Map.of("x-api-key", key));
        assertThat(cancel.statusCode()).isIn(200, 202, 409);
        // 200 says the job has ended: canceled before it started (refunded), or it ran and ended meanwhile.
        JsonObject job = new JsonObject(cancel.body());
        boolean canceledQueued = cancel.statusCode() == 200 && "canceled".equals(job.getString("status"))
            && job.getValue("started_at") == null;
        refunded += canceledQueued ? 1 : 0;
      }
    }
    assertThat(refunded).isPositive();
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isEqualTo(100 - refunded);
  }

  /**
   * Fills both gateways' connection pools first, as a replica in service has them: opening dozens of PostgreSQL
   * connections at once on this shared two-core machine takes longer than the pool's 5 s wait, which would turn
   * the burst into a test of connection setup rather than of the quota.
   */
  private static void warmUp(HttpClient client, String key) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
    for (int i = 0; i < 96; i++) {
      String base = i % 2 == 0 ? ExtraGateway.parked().url() : second.url();
      reads.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/usage")).timeout(Duration.ofSeconds(60))
          .header("x-api-key", key).build(), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(120, TimeUnit.SECONDS);
  }

  private static long secondsToMidnight() {
    return LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - Instant.now().getEpochSecond();
  }

  @Test
  void everyV1ResponseCarriesTheRateLimitHeaders() {
    String key = http.createKey(stack.adminToken(), "free");
    HttpResponse<String> usage = http.get("/v1/usage", key);
    assertThat(usage.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"daily\";r=100;t="));
    HttpResponse<String> notFound = http.get("/v1/jobs/job_nope", key);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.headers().firstValue("RateLimit-Policy")).hasValue("\"daily\";q=100;w=86400");
    HttpResponse<String> submitted = http.postJson("/v1/jobs",
        "{\"prompt\": \"a line\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64, \"num_images\": 3}", key);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    assertThat(submitted.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"daily\";r=97;t="));
  }

  @Test
  void unlimitedKeysAreNeverRefusedAndGetNoRateLimitHeaders() {
    String key = http.createKey(stack.adminToken(), "unlimited");
    HttpResponse<String> usage = http.get("/v1/usage", key);
    assertThat(usage.statusCode()).isEqualTo(200);
    assertThat(usage.headers().firstValue("RateLimit")).isEmpty();
    JsonObject body = new JsonObject(usage.body());
    assertThat(body.getValue("limit")).isNull();
    assertThat(body.getValue("remaining")).isNull();
  }

  @Test
  void aRefusedMultiImageSubmitChargesNothing() {
    String key = http.createKey(stack.adminToken(), "free");
    ExtraGateway parked = ExtraGateway.parked();
    Http viaParked = new Http(parked.url());
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      HttpResponse<String> r = viaParked.postJson("/v1/jobs", "{\"prompt\": \"p\", \"width\": 64, \"height\": 64, \"num_images\": 4}", key);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      jobs.add(new JsonObject(r.body()).getString("id"));
    }
    jobs.add(submit(viaParked, key, 3));
    // 99 used: 4 more would exceed the limit and are refused whole; 1 still fits.
    HttpResponse<String> four = viaParked.postJson("/v1/jobs", "{\"prompt\": \"p\", \"width\": 64, \"height\": 64, \"num_images\": 4}", key);
    Problems.assertProblem(four, 429, "99 are used and 4 more");
    assertThat(four.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"daily\";r=1;"));
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isEqualTo(99);
    jobs.add(submit(viaParked, key, 1));
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isEqualTo(100);
    // Canceling queued jobs refunds every image they reserved.
    jobs.forEach(id -> assertThat(http.send("DELETE", "/v1/jobs/" + id, null, Map.of("x-api-key", key)).statusCode()).isEqualTo(200));
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isZero();
  }

  private static String submit(Http via, String key, int images) {
    HttpResponse<String> r = via.postJson("/v1/jobs",
        "{\"prompt\": \"p\", \"width\": 64, \"height\": 64, \"num_images\": " + images + "}", key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getString("id");
  }
}
