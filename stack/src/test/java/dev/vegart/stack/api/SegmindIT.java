package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Segmind-compatible endpoint answers like Segmind's: the image itself, or base64 JSON, under the same quota. */
class SegmindIT {
  private static final String PATH = "/v1/segmind-vega-rt-v1";
  private static LocalStack stack;
  private static Http http;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
  }

  @Test
  void answersWithADecodableJpegOfTheRequestedSize() throws Exception {
    String key = http.createKey(stack.adminToken(), "free");
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.url() + PATH))
            .timeout(Duration.ofSeconds(70))
            .header("x-api-key", key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a lighthouse at dusk\", \"num_inference_steps\": 1, "
                + "\"seed\": 1337, \"img_width\": 128, \"img_height\": 128}"))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(128);
    assertThat(image.getHeight()).isEqualTo(128);
    assertThat(r.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"daily\";r=99;"));
    String jobId = r.headers().firstValue("X-Vegart-Job-Id").orElseThrow();
    assertThat(new JsonObject(http.get("/v1/jobs/" + jobId, key).body()).getString("status")).isEqualTo("succeeded");
  }

  @Test
  void base64AnswersJsonWithTheEncodedImage() throws Exception {
    String key = http.createKey(stack.adminToken(), "free");
    HttpResponse<String> r = http.postJson(PATH, "{\"prompt\": \"a fox\", \"num_inference_steps\": 2, \"img_width\": 64, "
        + "\"img_height\": 64, \"base64\": true}", key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    byte[] jpeg = Base64.getDecoder().decode(new JsonObject(r.body()).getString("image"));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertThat(image.getWidth()).isEqualTo(64);
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isEqualTo(1);
  }

  @Test
  void badInputNamesSegmindsFieldsAndChargesNothing() {
    String key = http.createKey(stack.adminToken(), "free");
    JsonObject problem = Problems.assertProblem(http.postJson(PATH, "{\"prompt\": \"\", \"img_width\": 100, \"img_height\": 64, "
        + "\"base64\": \"yes\", \"negative_prompt\": \"blur\", \"num_inference_steps\": 20}", key), 400, "img_width");
    assertThat(problem.encode()).contains("prompt", "base64", "negative_prompt", "num_inference_steps", "512x512");
    Problems.assertProblem(http.send("POST", PATH, "prompt=x", Map.of("Content-Type", "text/plain", "x-api-key", key)), 415,
        "application/json");
    assertThat(new JsonObject(http.get("/v1/usage", key).body()).getInteger("used")).isZero();
  }
}
