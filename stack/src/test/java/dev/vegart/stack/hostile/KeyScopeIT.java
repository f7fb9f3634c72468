package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A key reaches only its own jobs: another key gets exactly the 404 a job that does not exist gets (no
 * existence oracle) on the job, its image redirect, its event stream, its webhook deliveries, redelivery and
 * cancel; image URLs are presigned, expire after {@code VEGART_IMAGE_URL_TTL} and refuse tampering. The job's
 * webhook points at a public address (no allow-list needed; nothing answers there offline, so its deliveries
 * record failed attempts, which is all the delivery log needs).
 */
class KeyScopeIT {
  private static LocalStack stack;
  private static Http http;
  private static String owner;
  private static String stranger;
  private static String jobId;
  private static JsonObject job;

  @BeforeAll
  static void jobOfAnotherKey() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    owner = http.createKey(stack.adminToken(), "free");
    stranger = http.createKey(stack.adminToken(), "free");
    HttpResponse<String> submitted = http.postJson("/v1/jobs",
        "{\"prompt\": \"a blue sphere\", \"webhook_url\": \"https://1.1.1.1/vegart-hook\"}", owner);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    jobId = new JsonObject(submitted.body()).getString("id");
    job = http.awaitTerminal(jobId, owner, Duration.ofSeconds(120));
    assertThat(job.getString("status")).as(job.encode()).isEqualTo("succeeded");
  }

  @Test
  void anotherKeySeesNoTraceOfTheJob() {
    String missing = "job_01jzzzzzzzzzzzzzzzzzzzzzzz";
    List<String[]> routes = List.of(
        new String[] {"GET", "/v1/jobs/%s"},
        new String[] {"GET", "/v1/jobs/%s/images/0"},
        new String[] {"GET", "/v1/jobs/%s/events"},
        new String[] {"GET", "/v1/jobs/%s/webhook-deliveries"},
        new String[] {"POST", "/v1/jobs/%s/webhook-deliveries/redeliver"},
        new String[] {"DELETE", "/v1/jobs/%s"});
    for (String[] route : routes) {
      HttpResponse<String> foreign = call(route[0], route[1].formatted(jobId), stranger);
      HttpResponse<String> absent = call(route[0], route[1].formatted(missing), stranger);
      assertThat(foreign.statusCode()).as(route[0] + " " + route[1] + " by another key: " + foreign.body()).isEqualTo(404);
      assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(foreign.headers().firstValue("Location")).isEmpty();
      assertThat(foreign.body().replace(jobId, "ID")).as("same answer as for a job that does not exist")
          .isEqualTo(absent.body().replace(missing, "ID"));
    }
  }

  @Test
  void theOwnerStillReadsItsJobImageAndDeliveries() {
    assertThat(call("GET", "/v1/jobs/" + jobId, owner).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v1/jobs/" + jobId + "/images/0", owner).statusCode()).isEqualTo(302);
    HttpResponse<String> deliveries = call("GET", "/v1/jobs/" + jobId + "/webhook-deliveries", owner);
    assertThat(deliveries.statusCode()).as(deliveries.body()).isEqualTo(200);
    assertThat(new JsonObject(deliveries.body()).getString("job_id")).isEqualTo(jobId);
  }

  @Test
  void imageUrlsArePresignedExpiringAndTamperProof() {
    HttpResponse<String> redirect = call("GET", "/v1/jobs/" + jobId + "/images/0", owner);
    String url = redirect.headers().firstValue("Location").orElseThrow();
    long ttl = Duration.parse("PT" + stack.env().string("VEGART_IMAGE_URL_TTL", "1h").toUpperCase(java.util.Locale.ROOT)).toSeconds();
    assertThat(URI.create(url).getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=" + ttl);
    assertThat(ttl).isLessThanOrEqualTo(Duration.ofDays(7).toSeconds());
    assertThat(http.getBytes(url).statusCode()).isEqualTo(200);
    String tampered = url.replaceFirst("X-Amz-Signature=(.)", "X-Amz-Signature=" + (url.contains("X-Amz-Signature=0") ? "1" : "0"));
    assertThat(http.getBytes(tampered).statusCode()).isEqualTo(403);
    String unsigned = url.substring(0, url.indexOf('?'));
    assertThat(http.getBytes(unsigned).statusCode()).isEqualTo(403);
  }

  @Test
  void aKeyCannotUseTheAdminRoutesNorTheAdminTokenTheKeyRoutes() {
    HttpResponse<String> asAdmin = http.send("GET", "/admin/v1/keys", null, Map.of("Authorization", "Bearer " + owner));
    assertThat(asAdmin.statusCode()).isEqualTo(401);
    HttpResponse<String> asKey = http.send("GET", "/v1/usage", null, Map.of("x-api-key", stack.adminToken()));
    assertThat(asKey.statusCode()).isEqualTo(401);
  }

  private static HttpResponse<String> call(String method, String path, String key) {
    return http.send(method, path, method.equals("POST") ? "{}" : null,
        method.equals("POST") ? Map.of("x-api-key", key, "Content-Type", "application/json") : Map.of("x-api-key", key));
  }
}
