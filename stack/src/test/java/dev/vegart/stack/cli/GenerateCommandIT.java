package dev.vegart.stack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vegart generate} against the real stack: files, progress line, and every error exit. */
class GenerateCommandIT {
  private static LocalStack stack;
  private static Http http;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
  }

  private Map<String, String> env(String key) {
    return Map.of("VEGART_URL", stack.url(), "VEGART_API_KEY", key, "VEGART_CWD", dir.toString());
  }

  @Test
  void writesThePngOfTheRequestedSizeAndShowsProgress() throws Exception {
    String key = http.createKey(stack.adminToken(), "pro");
    // A large job of the same size first keeps the worker busy, so the command's job steps while it watches.
    String blocker = new io.vertx.core.json.JsonObject(http.postJson("/v1/jobs",
        "{\"prompt\": \"a busy worker\", \"num_inference_steps\": 8, \"num_images\": 4, \"width\": 256, \"height\": 256}", key).body())
        .getString("id");

    CliRun run = CliRun.of(env(key), "generate", "a red circle on a blue background", "--steps", "4", "--seed", "42",
        "--size", "256x256", "-o", "out/red.png");

    assertThat(run.exit()).as(run.toString()).isZero();
    Path png = dir.resolve("out/red.png");
    assertThat(run.out().strip()).isEqualTo(png.toString());
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(256);
    assertThat(image.getHeight()).isEqualTo(256);
    assertThat(run.err()).as(run.toString()).contains("running: step 4/4 [####################]").contains("succeeded")
        .contains("seed 42");
    http.awaitTerminal(blocker, key, java.time.Duration.ofSeconds(120));
  }

  @Test
  void followsTheOutputExtensionAndNumbersSeveralImages() throws Exception {
    String key = http.createKey(stack.adminToken(), "pro");

    CliRun jpeg = CliRun.of(env(key), "generate", "a green square", "--steps=1", "--size", "128x128", "-o", "green.jpg");
    CliRun two = CliRun.of(env(key), "generate", "two dots", "--steps", "1", "--size", "64x64", "--images", "2", "--fast",
        "-o", "dots.png");

    assertThat(jpeg.exit()).as(jpeg.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("green.jpg"))).startsWith(0xFF, 0xD8);
    assertThat(two.exit()).as(two.toString()).isZero();
    assertThat(two.out().lines()).containsExactly(dir.resolve("dots-0.png").toString(), dir.resolve("dots-1.png").toString());
    assertThat(ImageIO.read(dir.resolve("dots-1.png").toFile()).getWidth()).isEqualTo(64);
  }

  @Test
  void aQuotaUsedUpExitsWith4() {
    String key = http.createKey(stack.adminToken(), "tiny");

    CliRun both = CliRun.of(env(key), "generate", "two at once", "--steps", "1", "--size", "64x64", "--images", "2");
    CliRun over = CliRun.of(env(key), "generate", "one too many", "--steps", "1", "--size", "64x64");

    assertThat(both.exit()).as(both.toString()).isZero();
    assertThat(over.exit()).as(over.toString()).isEqualTo(Exit.QUOTA);
    assertThat(over.err()).contains("quota used up").contains("resets in");
    assertThat(over.out()).isEmpty();
  }

  @Test
  void anUnsupportedSizeExitsWith3AndListsTheSupportedOnes() {
    CliRun run = CliRun.of(env(stack.demoKey()), "generate", "a cat", "--size", "500x500");

    assertThat(run.exit()).as(run.toString()).isEqualTo(Exit.REJECTED);
    assertThat(run.err()).contains("invalid request").contains("512x512");
  }

  @Test
  void aWrongKeyExitsWith3() {
    CliRun run = CliRun.of(env("vgt_not_a_real_key"), "generate", "a cat", "--size", "64x64");

    assertThat(run.exit()).as(run.toString()).isEqualTo(Exit.REJECTED);
    assertThat(run.err()).contains("not authorized");
  }

  @Test
  void anUnreachableGatewayExitsWith5() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CliRun run = CliRun.of(Map.of("VEGART_URL", "http://127.0.0.1:" + closedPort, "VEGART_API_KEY", "k"), "generate", "a cat");

    assertThat(run.exit()).as(run.toString()).isEqualTo(Exit.UNAVAILABLE);
    assertThat(run.err()).contains("cannot reach the gateway at http://127.0.0.1:" + closedPort);
  }

  @Test
  void missingKeyOrBadArgumentsExitWith2BeforeSendingAnything() {
    CliRun noKey = CliRun.of(Map.of("VEGART_URL", stack.url()), "generate", "a cat");
    CliRun noPrompt = CliRun.of(env(stack.demoKey()), "generate", "--steps", "2");
    CliRun badSteps = CliRun.of(env(stack.demoKey()), "generate", "a cat", "--steps", "9");
    CliRun unknown = CliRun.of(env(stack.demoKey()), "generate", "a cat", "--colour", "red");

    assertThat(noKey.exit()).isEqualTo(Exit.USAGE);
    assertThat(noKey.err()).contains("VEGART_API_KEY");
    assertThat(noPrompt.exit()).isEqualTo(Exit.USAGE);
    assertThat(badSteps.exit()).isEqualTo(Exit.USAGE);
    assertThat(badSteps.err()).contains("--steps must be a whole number from 1 to 8");
    assertThat(unknown.exit()).isEqualTo(Exit.USAGE);
    assertThat(unknown.err()).contains("unknown option --colour");
  }
}
