package dev.vegart.stack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GenerateArgsTest {
  @Test
  void readsEveryOptionIntoTheSubmitBody() {
    GenerateCommand.Request r = GenerateCommand.parse(new String[] {"a cat", "--steps", "4", "--seed=42", "--size", "1024x1024",
        "--images", "2", "--fast", "-o", "out.webp"});

    assertThat(r.body()).isEqualTo(new JsonObject().put("prompt", "a cat").put("num_inference_steps", 4).put("seed", 42L)
        .put("width", 1024).put("height", 1024).put("num_images", 2).put("output_format", "webp").put("decoder", "fast"));
    assertThat(r.output()).isEqualTo("out.webp");
  }

  @Test
  void anExplicitFormatWinsOverTheExtension() {
    assertThat(GenerateCommand.parse(new String[] {"a cat", "--format", "PNG", "-o", "x.jpg"}).body().getString("output_format"))
        .isEqualTo("png");
    assertThat(GenerateCommand.parse(new String[] {"a cat", "-o", "x"}).body().containsKey("output_format")).isFalse();
  }

  @Test
  void badValuesAreUsageErrors() {
    for (String[] argv : new String[][] {{"a cat", "--size", "big"}, {"a cat", "--seed", "-1"}, {"a cat", "--images", "5"},
        {"a cat", "--format", "gif"}, {"a cat", "-o"}, {"a cat", "another prompt"}, {"  "}}) {
      assertThatThrownBy(() -> GenerateCommand.parse(argv)).as(String.join(" ", argv))
          .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Exit.USAGE));
    }
  }

  @Test
  void severalImagesGetTheirIndexBeforeTheExtension() {
    JsonObject job = new JsonObject().put("id", "job_1");
    JsonObject png = new JsonObject().put("index", 1).put("format", "png");
    JsonObject jpeg = new JsonObject().put("index", 0).put("format", "jpeg");

    assertThat(GenerateCommand.target(job, png, "out.png", 2)).isEqualTo("out-1.png");
    assertThat(GenerateCommand.target(job, png, "dir.v2/out", 2)).isEqualTo("dir.v2/out-1.png");
    assertThat(GenerateCommand.target(job, jpeg, null, 1)).isEqualTo("job_1.jpg");
    assertThat(GenerateCommand.target(job, png, "out.png", 1)).isEqualTo("out.png");
  }

  @Test
  void problemsBecomePlainMessagesWithTheirExitCode() {
    CliException quota = ApiClient.problem(429, "{\"detail\": \"the daily quota of 2 images is used\"}", "3600");
    CliException invalid = ApiClient.problem(400, "{\"detail\": \"invalid\", \"errors\": [{\"field\": \"width\", "
        + "\"message\": \"must be supported\", \"allowed\": [\"512x512\"]}]}", null);
    CliException busy = ApiClient.problem(503, "not json", "5");

    assertThat(quota.exitCode()).isEqualTo(Exit.QUOTA);
    assertThat(quota.getMessage()).isEqualTo("quota used up: the daily quota of 2 images is used (resets in 1 h)");
    assertThat(invalid.exitCode()).isEqualTo(Exit.REJECTED);
    assertThat(invalid.getMessage()).contains("width: must be supported (allowed: 512x512)");
    assertThat(busy.exitCode()).isEqualTo(Exit.UNAVAILABLE);
    assertThat(busy.getMessage()).isEqualTo("the gateway is unavailable (503): HTTP 503; retry in 5 s");
  }
}
