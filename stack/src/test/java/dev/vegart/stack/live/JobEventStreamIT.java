package dev.vegart.stack.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.gateway.Gateway;
import dev.vegart.gateway.GatewayConfig;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs/{id}/events} on the real stack. A large job of the same size submitted first keeps the CPU worker
 * busy, so the streamed job's steps happen while its stream is open.
 */
class JobEventStreamIT {
  private static LocalStack stack;
  private static Http http;
  private static String key;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    key = http.createKey(stack.adminToken(), "pro");
  }

  @Test
  void streamsStatusAndStepProgressThenTheEndedJobAndCloses() throws Exception {
    String blocker = submit("{\"prompt\": \"a busy worker\", \"num_inference_steps\": 8, \"num_images\": 4, \"width\": 256, \"height\": 256}");
    String id = submit("{\"prompt\": \"a red circle\", \"num_inference_steps\": 4, \"seed\": 7, \"width\": 256, \"height\": 256}");

    EventStreamReader.Result stream = EventStreamReader.read(stack.url() + "/v1/jobs/" + id + "/events", key, Duration.ofSeconds(120));

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.contentType()).startsWith("text/event-stream");
    List<EventStreamReader.Event> events = stream.events();
    assertThat(events.get(0).name()).as(stream.body()).isEqualTo("job");
    assertThat(events.get(0).data().getString("id")).isEqualTo(id);
    List<Integer> steps = events.stream().filter(e -> e.name().equals("progress"))
        .map(e -> e.data().getInteger("steps_done")).toList();
    assertThat(steps).as(stream.body()).isNotEmpty().isSorted().doesNotHaveDuplicates().endsWith(4);
    assertThat(events.stream().filter(e -> e.name().equals("progress")))
        .allMatch(e -> e.data().getInteger("steps_total") == 4 && e.data().getString("id").equals(id));
    EventStreamReader.Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("job");
    assertThat(last.data().getString("status")).isEqualTo("succeeded");
    assertThat(last.data().getJsonArray("images")).hasSize(1);
    assertThat(events.stream().filter(e -> e.name().equals("job")).map(e -> e.data().getString("status")))
        .as("status never goes backwards").isSortedAccordingTo((a, b) -> Integer.compare(rank(a), rank(b)));
    http.awaitTerminal(blocker, key, Duration.ofSeconds(120));
  }

  @Test
  void anEndedJobsStreamSendsItOnceAndCloses() throws Exception {
    String id = submit("{\"prompt\": \"a green square\", \"num_inference_steps\": 1, \"width\": 128, \"height\": 128}");
    http.awaitTerminal(id, key, Duration.ofSeconds(60));

    EventStreamReader.Result stream = EventStreamReader.read(stack.url() + "/v1/jobs/" + id + "/events", key, Duration.ofSeconds(30));

    assertThat(stream.events()).hasSize(1);
    assertThat(stream.events().get(0).data().getString("status")).isEqualTo("succeeded");
  }

  @Test
  void unknownForeignOrUnauthenticatedStreamsAreProblems() throws Exception {
    String id = submit("{\"prompt\": \"a blue line\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64}");
    String other = http.createKey(stack.adminToken(), "free");

    HttpResponse<String> foreign = http.get("/v1/jobs/" + id + "/events", other);
    HttpResponse<String> unknown = http.get("/v1/jobs/job_nope/events", key);
    HttpResponse<String> anonymous = http.send("GET", "/v1/jobs/" + id + "/events", null, Map.of());

    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    http.awaitTerminal(id, key, Duration.ofSeconds(60));
  }

  /** Progress reaches a gateway that did not apply the job's events: every gateway reads them for its streams. */
  @Test
  void aSecondGatewayStreamsProgressToo() throws Exception {
    Vertx vertx = Vertx.vertx();
    Gateway second = Gateway.start(vertx, GatewayConfig.from(stack.env().with(Map.of("VEGART_HTTP_PORT", "0"))),
        stack.s3Credentials()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      String blocker = submit("{\"prompt\": \"another busy worker\", \"num_inference_steps\": 8, \"num_images\": 4, \"width\": 256, \"height\": 256}");
      String id = submit("{\"prompt\": \"a purple dot\", \"num_inference_steps\": 3, \"width\": 256, \"height\": 256}");

      EventStreamReader.Result stream = EventStreamReader.read(
          "http://127.0.0.1:" + second.port() + "/v1/jobs/" + id + "/events", key, Duration.ofSeconds(120));

      assertThat(stream.events().stream().filter(e -> e.name().equals("progress")).map(e -> e.data().getInteger("steps_done")))
          .as(stream.body()).endsWith(3);
      assertThat(stream.events().get(stream.events().size() - 1).data().getString("status")).isEqualTo("succeeded");
      http.awaitTerminal(blocker, key, Duration.ofSeconds(120));
    } finally {
      second.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String submit(String body) {
    HttpResponse<String> r = http.postJson("/v1/jobs", body, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getString("id");
  }

  private static int rank(String status) {
    return switch (status) {
      case "queued" -> 0;
      case "running" -> 1;
      default -> 2;
    };
  }
}
