package dev.vegart.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A job all the way through: HTTP submit, Kafka, the CPU worker, S3, job events, and the PNG through its presigned URL. */
class JobFlowIT {
  private static LocalStack stack;
  private static Http http;
  private static String key;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    key = http.createKey(stack.adminToken(), "free");
  }

  @Test
  void submittedJobEndsWithADownloadablePngOfTheRequestedSize() throws Exception {
    HttpResponse<String> submit = http.postJson("/v1/jobs",
        "{\"prompt\": \"a red circle on a blue background\", \"num_inference_steps\": 2, \"seed\": 42, \"width\": 512, \"height\": 512}", key);
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    JsonObject accepted = new JsonObject(submit.body());
    assertThat(accepted.getString("status")).isEqualTo("queued");
    assertThat(accepted.getLong("seed")).isEqualTo(42L);
    assertThat(submit.headers().firstValue("Location")).hasValue("/v1/jobs/" + accepted.getString("id"));

    JsonObject done = http.awaitTerminal(accepted.getString("id"), key, Duration.ofSeconds(60));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("succeeded");
    assertThat(done.getString("started_at")).isNotNull();
    assertThat(done.getLong("inference_ms")).isNotNull();
    JsonObject image = done.getJsonArray("images").getJsonObject(0);
    assertThat(image.getInteger("index")).isZero();
    assertThat(image.getLong("seed")).isEqualTo(42L);
    assertThat(image.getString("format")).isEqualTo("png");

    HttpResponse<byte[]> png = http.getBytes(image.getString("url"));
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.body()).hasSize(image.getInteger("bytes"));
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png.body()))).isEqualTo(image.getString("sha256"));
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(decoded.getWidth()).isEqualTo(512);
    assertThat(decoded.getHeight()).isEqualTo(512);

    HttpResponse<String> redirect = http.get("/v1/jobs/" + accepted.getString("id") + "/images/0", key);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(http.getBytes(redirect.headers().firstValue("Location").orElseThrow()).body()).isEqualTo(png.body());
  }

  @Test
  void tamperedPresignedUrlIsRefusedByTheStore() {
    JsonObject done = submitAndWait("{\"prompt\": \"a green square\", \"num_inference_steps\": 1, \"width\": 512, \"height\": 512}");
    String url = done.getJsonArray("images").getJsonObject(0).getString("url");
    String tampered = url.replace("/0.png", "/1.png");
    assertThat(http.getBytes(tampered).statusCode()).isEqualTo(403);
  }

  @Test
  void anotherKeySeesNoneOfTheJob() {
    JsonObject done = submitAndWait("{\"prompt\": \"two yellow triangles\", \"num_inference_steps\": 1, \"width\": 512, \"height\": 512}");
    String other = http.createKey(stack.adminToken(), "free");
    HttpResponse<String> read = http.get("/v1/jobs/" + done.getString("id"), other);
    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(read.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(http.get("/v1/jobs/" + done.getString("id") + "/images/0", other).statusCode()).isEqualTo(404);
  }

  @Test
  void badInputGetsProblemJsonNamingTheProblem() {
    assertProblem(http.postJson("/v1/jobs", "{\"prompt\": ", key), 400, "JSON");
    assertProblem(http.postJson("/v1/jobs", "{\"num_inference_steps\": 4}", key), 400, "prompt");
    assertProblem(http.postJson("/v1/jobs", "{\"prompt\": \"x\", \"num_inference_steps\": 9}", key), 400, "num_inference_steps");
    assertProblem(http.postJson("/v1/jobs", "{\"prompt\": \"x\", \"width\": 1000, \"height\": 1000}", key), 400, "512x512");
    assertProblem(http.postJson("/v1/jobs", "{\"prompt\": \"x\", \"colour\": \"red\"}", key), 400, "colour");
    assertProblem(http.postJson("/v1/jobs", "{\"prompt\": \"x\"}", "vr_not-a-key"), 401, "API key");
    assertProblem(http.send("POST", "/v1/jobs", "{\"prompt\": \"x\"}", Map.of("Content-Type", "application/json")), 401, "API key");
    assertProblem(http.get("/v1/jobs/job_doesnotexist", key), 404, "job_doesnotexist");
    assertProblem(http.send("POST", "/v1/jobs", "prompt=x", Map.of("Content-Type", "text/plain", "x-api-key", key)), 415, "application/json");
    assertProblem(http.send("POST", "/admin/v1/keys", "{}", Map.of("Content-Type", "application/json", "Authorization", "Bearer wrong")), 401, "admin");
  }

  @Test
  void healthReportsEveryDependencyUp() {
    HttpResponse<String> ready = http.send("GET", "/health/ready", null, Map.of());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getJsonObject("checks").getMap()).containsOnlyKeys("postgresql", "kafka", "s3")
        .allSatisfy((name, state) -> assertThat(state).isEqualTo("up"));
    assertThat(http.send("GET", "/health/live", null, Map.of()).statusCode()).isEqualTo(200);
  }

  private static JsonObject submitAndWait(String body) {
    HttpResponse<String> submit = http.postJson("/v1/jobs", body, key);
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    JsonObject done = http.awaitTerminal(new JsonObject(submit.body()).getString("id"), key, Duration.ofSeconds(60));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("succeeded");
    return done;
  }

  private static void assertProblem(HttpResponse<String> response, int status, String mentioned) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("https://vegart.dev/problems/");
    assertThat(problem.encode()).contains(mentioned);
  }
}
