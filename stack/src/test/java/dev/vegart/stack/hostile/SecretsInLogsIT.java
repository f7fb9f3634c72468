package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No secret (an API key, the admin token, the key pepper, a webhook secret, the S3 secret key) appears in the
 * log lines of this JVM, in {@code /metrics}, or in an error body, while a key is created, used right and wrong,
 * presented where the admin token belongs (and the other way round), submits jobs (one with a webhook), rotates
 * its webhook secret and calls the Segmind endpoint.
 */
class SecretsInLogsIT {

  @Test
  void secretsNeverReachLogsMetricsOrErrorBodies() {
    LocalStack stack = SharedStack.get();
    Http http = new Http(stack.url());
    List<String> bodies = new ArrayList<>();
    Map<String, String> secrets = new LinkedHashMap<>();
    try (LogCapture logs = LogCapture.open()) {
      HttpResponse<String> created = http.send("POST", "/admin/v1/keys", "{\"name\": \"secret-scan\"}",
          Map.of("Content-Type", "application/json", "Authorization", "Bearer " + stack.adminToken()));
      JsonObject key = new JsonObject(created.body());
      String apiKey = key.getString("key");
      secrets.put("API key", apiKey);
      secrets.put("admin token", stack.adminToken());
      secrets.put("key pepper", stack.env().get("VEGART_KEY_PEPPER").orElseThrow());
      secrets.put("webhook secret", key.getString("webhook_secret"));
      secrets.put("S3 secret key", stack.s3Credentials().resolveCredentials().secretAccessKey());

      HttpResponse<String> job = http.postJson("/v1/jobs",
          "{\"prompt\": \"a green cone\", \"webhook_url\": \"https://1.1.1.1/vegart-hook\"}", apiKey);
      assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
      String jobId = new JsonObject(job.body()).getString("id");
      http.awaitTerminal(jobId, apiKey, Duration.ofSeconds(120));
      bodies.add(http.postJson("/v1/segmind-vega-rt-v1", "{\"prompt\": \"a green cone\", \"base64\": true}", apiKey).statusCode() + "");
      bodies.add(http.get("/v1/jobs/" + jobId + "/webhook-deliveries", apiKey).body());
      HttpResponse<String> rotated = http.send("POST", "/v1/webhook-secret/rotate", "{}",
          Map.of("Content-Type", "application/json", "x-api-key", apiKey));
      secrets.put("rotated webhook secret", new JsonObject(rotated.body()).getString("webhook_secret"));
      // Wrong use: every refusal is logged and answered, and none may echo what was presented.
      bodies.add(http.get("/v1/usage", apiKey + "x").body());
      bodies.add(http.get("/v1/usage", stack.adminToken()).body());
      bodies.add(http.send("GET", "/v1/usage", null, Map.of("Authorization", "Bearer " + stack.adminToken())).body());
      bodies.add(http.send("GET", "/admin/v1/keys", null, Map.of("Authorization", "Bearer " + apiKey)).body());
      bodies.add(http.send("GET", "/admin/v1/keys", null, Map.of("Authorization", "Bearer " + stack.adminToken() + "x")).body());
      bodies.add(http.postJson("/v1/jobs", "{\"prompt\": 1, \"key\": \"" + apiKey + "\"}", apiKey).body());
      bodies.add(http.send("GET", "/metrics", null, Map.of()).body());
      bodies.add(http.send("GET", "/health/ready", null, Map.of()).body());

      List<String> lines = logs.lines();
      assertThat(lines).as("the capture saw the requests").anyMatch(l -> l.contains("/v1/jobs"));
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        assertThat(secret.getValue()).as(secret.getKey()).hasSizeGreaterThanOrEqualTo(16);
        for (String line : lines) {
          assertThat(line).as("a log line must not hold the %s", secret.getKey()).doesNotContain(secret.getValue());
        }
        for (String body : bodies) {
          assertThat(body).as("an answer must not hold the %s", secret.getKey()).doesNotContain(secret.getValue());
        }
      }
    }
  }
}
