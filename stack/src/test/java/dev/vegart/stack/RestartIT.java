package dev.vegart.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.config.Env;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** State lives in the data directory: a job finished before a restart is still served, with its image, after it. */
class RestartIT {

  @Test
  void finishedJobAndItsImageSurviveARestartOfTheWholeStack() throws Exception {
    Path dir = Files.createTempDirectory("vegart-restart-");
    Env env = new Env(Map.of("VEGART_HTTP_PORT", "0", "VEGART_MODEL_DIR", "../models/tiny-random"));
    String jobId;
    String sha256;
    String apiKey;
    String adminToken;
    try (LocalStack first = LocalStack.start(dir, env, true)) {
      Http http = new Http(first.url());
      apiKey = first.demoKey();
      adminToken = first.adminToken();
      HttpResponse<String> submit = http.postJson("/v1/jobs",
          "{\"prompt\": \"a blue circle\", \"num_inference_steps\": 1, \"seed\": 7, \"width\": 512, \"height\": 512}", apiKey);
      assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
      jobId = new JsonObject(submit.body()).getString("id");
      JsonObject done = http.awaitTerminal(jobId, apiKey, Duration.ofSeconds(60));
      assertThat(done.getString("status")).isEqualTo("succeeded");
      sha256 = done.getJsonArray("images").getJsonObject(0).getString("sha256");
    }

    try (LocalStack second = LocalStack.start(dir, env, false)) {
      Http http = new Http(second.url());
      assertThat(second.demoKey()).isEqualTo(apiKey);
      assertThat(second.adminToken()).isEqualTo(adminToken);
      HttpResponse<String> read = http.get("/v1/jobs/" + jobId, apiKey);
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      JsonObject job = new JsonObject(read.body());
      assertThat(job.getString("status")).isEqualTo("succeeded");
      JsonObject image = job.getJsonArray("images").getJsonObject(0);
      assertThat(image.getString("sha256")).isEqualTo(sha256);
      HttpResponse<byte[]> png = http.getBytes(image.getString("url"));
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.body()).hasSize(image.getInteger("bytes"));
    }
  }
}
