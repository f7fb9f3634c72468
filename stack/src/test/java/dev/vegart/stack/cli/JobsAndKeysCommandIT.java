package dev.vegart.stack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code vegart jobs get} and {@code vegart keys create|list|revoke} against the real stack. */
class JobsAndKeysCommandIT {
  private static LocalStack stack;
  private static Http http;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
  }

  private static Map<String, String> admin() {
    return Map.of("VEGART_URL", stack.url(), "VEGART_ADMIN_TOKEN", stack.adminToken());
  }

  @Test
  void jobsGetPrintsTheJobAndA404ExitsWith3() {
    String key = http.createKey(stack.adminToken(), "free");
    String id = new JsonObject(http.postJson("/v1/jobs",
        "{\"prompt\": \"a yellow star\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64}", key).body()).getString("id");
    http.awaitTerminal(id, key, Duration.ofSeconds(60));
    Map<String, String> env = Map.of("VEGART_URL", stack.url(), "VEGART_API_KEY", key);

    CliRun found = CliRun.of(env, "jobs", "get", id);
    CliRun missing = CliRun.of(env, "jobs", "get", "job_does_not_exist");
    CliRun usage = CliRun.of(env, "jobs", "list");

    assertThat(found.exit()).as(found.toString()).isZero();
    JsonObject job = new JsonObject(found.out());
    assertThat(job.getString("id")).isEqualTo(id);
    assertThat(job.getString("status")).isEqualTo("succeeded");
    assertThat(missing.exit()).isEqualTo(Exit.REJECTED);
    assertThat(missing.err()).contains("not found");
    assertThat(usage.exit()).isEqualTo(Exit.USAGE);
  }

  @Test
  void keysCanBeCreatedListedAndRevoked() {
    CliRun created = CliRun.of(admin(), "keys", "create", "--tier", "tiny", "--name", "from the cli");
    assertThat(created.exit()).as(created.toString()).isZero();
    JsonObject key = new JsonObject(created.out());
    assertThat(key.getString("tier")).isEqualTo("tiny");
    assertThat(created.err()).contains("cannot be shown again");
    Map<String, String> user = Map.of("VEGART_URL", stack.url(), "VEGART_API_KEY", key.getString("key"));

    CliRun listed = CliRun.of(admin(), "keys", "list");
    assertThat(listed.exit()).as(listed.toString()).isZero();
    assertThat(listed.out()).contains(key.getString("id")).contains("from the cli");

    CliRun revoked = CliRun.of(admin(), "keys", "revoke", key.getString("id"));
    assertThat(revoked.exit()).as(revoked.toString()).isZero();
    assertThat(revoked.out()).contains("revoked " + key.getString("id"));
    CliRun refused = CliRun.of(user, "generate", "after revocation", "--size", "64x64");
    assertThat(refused.exit()).isEqualTo(Exit.REJECTED);
    assertThat(refused.err()).contains("not authorized");
  }

  @Test
  void keysErrorsHaveTheirExitCodes() {
    CliRun noToken = CliRun.of(Map.of("VEGART_URL", stack.url()), "keys", "list");
    CliRun wrongToken = CliRun.of(Map.of("VEGART_URL", stack.url(), "VEGART_ADMIN_TOKEN", "not-the-admin-token"), "keys", "list");
    CliRun unknownKey = CliRun.of(admin(), "keys", "revoke", "key_does_not_exist");
    CliRun unknownTier = CliRun.of(admin(), "keys", "create", "--tier", "no-such-tier");
    CliRun usage = CliRun.of(admin(), "keys", "rotate");

    assertThat(noToken.exit()).isEqualTo(Exit.USAGE);
    assertThat(noToken.err()).contains("VEGART_ADMIN_TOKEN");
    assertThat(wrongToken.exit()).isEqualTo(Exit.REJECTED);
    assertThat(wrongToken.err()).contains("not authorized");
    assertThat(unknownKey.exit()).as(unknownKey.toString()).isEqualTo(Exit.REJECTED);
    assertThat(unknownKey.err()).contains("not found");
    assertThat(unknownTier.exit()).as(unknownTier.toString()).isEqualTo(Exit.REJECTED);
    assertThat(usage.exit()).isEqualTo(Exit.USAGE);
  }
}
