package dev.vegart.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a busy worker process (what Kubernetes does on scale-down): it stops fetching, finishes and
 * commits what it holds within its grace period, exits 0, and the other worker takes the rest.
 */
class GracefulDrainIT {
  private static final Duration GRACE = Duration.ofSeconds(90);
  private static Fleet fleet;

  @BeforeAll
  static void startFleet() {
    fleet = Fleet.start(Path.of("target", "drain-fleet-" + System.currentTimeMillis()).toAbsolutePath(),
        Map.of("VEGART_SHUTDOWN_GRACE", GRACE.toSeconds() + "s", "VEGART_TIERS", "free=100,unlimited=-1"));
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void terminatedWorkerDrainsExitsZeroAndTheOtherTakesOver() {
    Http http = new Http(fleet.gatewayUrl(0));
    String key = new JsonObject(http.send("POST", "/admin/v1/keys", "{\"tier\": \"unlimited\"}",
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + Fleet.ADMIN_TOKEN)).body()).getString("key");
    ManagedProcess worker = fleet.get("worker-a");
    long offset = worker.logSize();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      var r = http.postJson("/v1/jobs", new JsonObject().put("prompt", "drain " + i).put("num_inference_steps", 8)
          .put("seed", i).put("width", 512).put("height", 512).encode(), key);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      ids.add(new JsonObject(r.body()).getString("id"));
    }
    worker.awaitLine(Pattern.compile("job (job_\\w+) started"), offset, Duration.ofSeconds(120));
    long t0 = System.nanoTime();
    int exit = worker.terminate(GRACE.plusSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    List<JsonObject> finished = new ArrayList<>();
    for (String id : ids) {
      finished.add(http.awaitTerminal(id, key, Duration.ofSeconds(300)));
    }
    Matcher onB = Pattern.compile("job (job_\\w+) started").matcher(fleet.get("worker-b").tail(0));
    List<String> startedOnB = new ArrayList<>();
    while (onB.find()) {
      startedOnB.add(onB.group(1));
    }
    assertThat(exit).as("exit code of the drained worker").isZero();
    assertThat(took).isLessThan(GRACE);
    assertThat(finished).allSatisfy(job -> {
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getJsonArray("images")).hasSize(1);
    });
    assertThat(startedOnB).as("the other worker ran some of the jobs").isNotEmpty();
    System.out.println("DRAIN: worker-a exited " + exit + " after " + took.toMillis() + " ms; " + finished.size()
        + " jobs succeeded, " + startedOnB.stream().filter(ids::contains).count() + " of them on worker-b");
  }
}
