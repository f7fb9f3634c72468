package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.config.KafkaSettings;
import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobEvent;
import dev.vegart.common.job.OutputFormat;
import dev.vegart.common.json.Json;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import dev.vegart.stack.StackDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancel, deadlines, refunds, sync wait, queue position and load shedding against the real stack. Jobs that must
 * stay queued go through the parked gateway (its jobs topic has no worker); worker outcomes that the CPU worker
 * cannot be made to produce on demand (a model failure) are sent as the worker would, on the real events topic.
 */
class JobLifecycleIT {
  private static final String SMALL = "{\"prompt\": \"a small square\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64";
  private static LocalStack stack;
  private static Http http;
  private static Http parked;
  private static KafkaProducer<String, byte[]> events;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    parked = new Http(ExtraGateway.parked().url());
    events = new KafkaProducer<>(KafkaSettings.of(stack.kafkaBootstrapServers()).producer("lifecycle-it"));
  }

  @AfterAll
  static void stop() {
    events.close();
  }

  @Test
  void cancelingAQueuedJobRefundsItAndASecondCancelIsAConflict() {
    String key = newKey();
    String id = submit(parked, key, SMALL + ", \"num_images\": 3}");
    assertThat(used(key)).isEqualTo(3);

    HttpResponse<String> cancel = delete(id, key);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
    JsonObject job = new JsonObject(cancel.body());
    assertThat(job.getString("status")).isEqualTo("canceled");
    assertThat(job.getJsonObject("error").getString("code")).isEqualTo("canceled");
    assertThat(used(key)).isZero();

    Problems.assertProblem(delete(id, key), 409, "canceled");
    Problems.assertProblem(delete("job_unknown", key), 404, "job_unknown");
    Problems.assertProblem(delete(id, newKey()), 404, id);
  }

  @Test
  void aRunningJobIsStoppedAtAStepBoundaryAndKeepsItsCharge() {
    String key = newKey();
    String id = submit(http, key, "{\"prompt\": \"a slow one\", \"num_inference_steps\": 8, \"width\": 1344, \"height\": 768, \"num_images\": 4}");
    awaitStatus(id, key, "running", Duration.ofSeconds(60));

    HttpResponse<String> cancel = delete(id, key);
    assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
    JsonObject done = http.awaitTerminal(id, key, Duration.ofSeconds(60));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("canceled");
    assertThat(done.getString("cancel_requested_at")).isNotNull();
    assertThat(done.getJsonArray("images")).isEmpty();
    assertThat(used(key)).as("a job canceled while running is not refunded").isEqualTo(4);
  }

  @Test
  void aJobNotStartedBeforeItsDeadlineExpiresAndIsRefunded() {
    String key = newKey();
    String id = submit(parked, key, SMALL + ", \"num_images\": 2, \"cancel_after_seconds\": 1}");
    assertThat(new JsonObject(http.get("/v1/jobs/" + id, key).body()).getString("cancel_after")).isNotNull();
    assertThat(used(key)).isEqualTo(2);
    JsonObject done = http.awaitTerminal(id, key, Duration.ofSeconds(20));
    assertThat(done.getString("status")).isEqualTo("expired");
    assertThat(done.getJsonObject("error").getString("code")).isEqualTo("expired");
    assertThat(used(key)).isZero();
  }

  @Test
  void refundsFollowTheOutcome() throws Exception {
    String key = newKey();
    String failed = submit(parked, key, SMALL + ", \"num_images\": 2}");
    String succeeded = submit(parked, key, SMALL + ", \"num_images\": 3}");
    String canceledRunning = submit(parked, key, SMALL + ", \"num_images\": 4}");
    String expiredByWorker = submit(parked, key, SMALL + ", \"num_images\": 1}");
    assertThat(used(key)).isEqualTo(10);

    Instant now = Instant.now();
    send(new JobEvent.Started(failed, "w-test", now));
    send(new JobEvent.Failed(failed, "w-test", now, "model_error", "out of memory"));
    send(new JobEvent.Started(succeeded, "w-test", now));
    send(new JobEvent.Succeeded(succeeded, "w-test", now, List.of(new ImageResult(0, "images/x/0.png", 1, 64, 64,
        OutputFormat.PNG, 10, "00")), 5, 0));
    send(new JobEvent.Started(canceledRunning, "w-test", now));
    send(new JobEvent.Canceled(canceledRunning, "w-test", now, true));
    send(new JobEvent.Expired(expiredByWorker, "w-test", now));
    // A late duplicate must not refund twice.
    send(new JobEvent.Failed(failed, "w-test", now, "model_error", "out of memory"));
    events.flush();

    assertThat(http.awaitTerminal(failed, key, Duration.ofSeconds(20)).getString("status")).isEqualTo("failed");
    assertThat(http.awaitTerminal(succeeded, key, Duration.ofSeconds(20)).getString("status")).isEqualTo("succeeded");
    assertThat(http.awaitTerminal(canceledRunning, key, Duration.ofSeconds(20)).getString("status")).isEqualTo("canceled");
    assertThat(http.awaitTerminal(expiredByWorker, key, Duration.ofSeconds(20)).getString("status")).isEqualTo("expired");
    // Refunded: the failure (2) and the expiry (1); kept: the success (3) and the cancel while running (4).
    assertThat(used(key)).isEqualTo(7);
  }

  @Test
  void preferWaitAnswers200WithTheFinishedJobOr202WithItsStateWhenTimeRunsOut() {
    String key = newKey();
    HttpResponse<String> done = http.send("POST", "/v1/jobs", SMALL + ", \"seed\": 7}", Map.of("Content-Type", "application/json",
        "x-api-key", key, "Prefer", "wait=50"));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(done.headers().firstValue("Preference-Applied")).hasValue("wait=50");
    JsonObject job = new JsonObject(done.body());
    assertThat(job.getString("status")).isEqualTo("succeeded");
    assertThat(job.getJsonArray("images")).hasSize(1);

    long started = System.nanoTime();
    HttpResponse<String> pending = parked.send("POST", "/v1/jobs", SMALL + "}", Map.of("Content-Type", "application/json",
        "x-api-key", key, "Prefer", "respond-async, wait=2"));
    long waitedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(pending.statusCode()).as(pending.body()).isEqualTo(202);
    assertThat(waitedMs).isBetween(1_900L, 10_000L);
    String id = new JsonObject(pending.body()).getString("id");
    assertThat(new JsonObject(pending.body()).getString("status")).isEqualTo("queued");

    HttpResponse<String> get = http.send("GET", "/v1/jobs/" + id, null, Map.of("x-api-key", key, "Prefer", "wait=1"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(get.body()).getString("status")).isEqualTo("queued");
    // A cancel from another gateway wakes a waiter at once, not at the end of its wait.
    Thread waiter = new Thread(() -> delete(id, key));
    long before = System.nanoTime();
    waiter.start();
    HttpResponse<String> woken = parked.send("GET", "/v1/jobs/" + id, null, Map.of("x-api-key", key, "Prefer", "wait=30"));
    assertThat(new JsonObject(woken.body()).getString("status")).isEqualTo("canceled");
    assertThat((System.nanoTime() - before) / 1_000_000).isLessThan(15_000L);
  }

  @Test
  void queuedJobsReportTheirPositionInImagesAndAnEta() {
    String key = newKey();
    submitAndWait(key);
    String first = submit(parked, key, SMALL + ", \"num_images\": 2}");
    String second = submit(parked, key, SMALL + ", \"num_images\": 1}");
    JsonObject a = new JsonObject(http.get("/v1/jobs/" + first, key).body());
    JsonObject b = new JsonObject(http.get("/v1/jobs/" + second, key).body());
    assertThat(b.getLong("queue_position") - a.getLong("queue_position")).isEqualTo(2L);
    assertThat(a.getLong("eta_seconds")).as("measured from the jobs this fleet already ran").isNotNull().isPositive();
    assertThat(b.getLong("eta_seconds")).isGreaterThanOrEqualTo(a.getLong("eta_seconds"));
    delete(first, key);
    delete(second, key);
    assertThat(new JsonObject(http.get("/v1/jobs/" + first, key).body()).containsKey("queue_position")).isFalse();
  }

  @Test
  void aBackloggedFleetShedsNewJobsBeforeChargingThem() {
    String key = newKey();
    String queued = submit(parked, key, SMALL + "}");
    try (ExtraGateway strict = ExtraGateway.start(Map.of("VEGART_MAX_BACKLOG_SECONDS", "0"))) {
      HttpResponse<String> shed = new Http(strict.url()).postJson("/v1/jobs", SMALL + "}", key);
      Problems.assertProblem(shed, 503, "nothing was charged");
      assertThat(Long.parseLong(shed.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 300L);
      assertThat(used(key)).isEqualTo(1);
    } finally {
      delete(queued, key);
    }
  }

  /**
   * A submit whose own publish fails after another replica's outbox relay already published the job keeps the
   * job: 202 and charged, and it runs. (Answering 503 "nothing was charged" would leave a charged job running
   * that its client never heard of.) The gateway's jobs topic is deleted under it, so its publish fails after
   * the producer's 10 s metadata wait, while the shared gateway's relay republishes jobs older than 2 s to the
   * topic the worker reads.
   */
  @Test
  void aJobPublishedByTheRelayWhileItsOwnPublishFailedIsAccepted() throws Exception {
    String key = newKey();
    String gone = "vegart.jobs.gone";
    // Its own relay leaves the job alone (it would lock the row while its publish waits).
    try (ExtraGateway cut = ExtraGateway.start(Map.of("VEGART_KAFKA_JOBS_TOPIC", gone, "VEGART_RELAY_MIN_AGE", "1h"));
         Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
      admin.deleteTopics(List.of(gone)).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(gone)) {
        assertThat(System.nanoTime()).as("topic " + gone + " still listed").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
      }
      HttpResponse<String> r = new Http(cut.url()).postJson("/v1/jobs", SMALL + "}", key);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      String id = new JsonObject(r.body()).getString("id");
      assertThat(http.awaitTerminal(id, key, Duration.ofSeconds(60)).getString("status")).isEqualTo("succeeded");
      assertThat(used(key)).isEqualTo(1);
    }
  }

  /**
   * A job that reaches the workers twice, back to back (the outbox relay republished it while the first publish
   * was still unmarked), runs once and succeeds: the second copy must not end it as failed.
   */
  @Test
  void aJobDeliveredTwiceBackToBackRunsOnceAndSucceeds() throws Exception {
    String key = newKey();
    String id = submit(parked, key, SMALL + "}");
    String request;
    try (StackDatabase db = new StackDatabase(stack)) {
      request = StackDatabase.await(db.pool().preparedQuery("SELECT request::text AS r FROM jobs WHERE id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(id))).iterator().next().getString("r");
    }
    byte[] value = request.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    events.send(new ProducerRecord<>(KafkaSettings.JOBS_TOPIC, id, value));
    events.send(new ProducerRecord<>(KafkaSettings.JOBS_TOPIC, id, value)).get(10, TimeUnit.SECONDS);
    JsonObject done = http.awaitTerminal(id, key, Duration.ofSeconds(60));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("succeeded");
    assertThat(used(key)).isEqualTo(1);
  }

  private static void submitAndWait(String key) {
    HttpResponse<String> r = http.send("POST", "/v1/jobs", SMALL + "}", Map.of("Content-Type", "application/json",
        "x-api-key", key, "Prefer", "wait=50"));
    assertThat(new JsonObject(r.body()).getString("status")).as(r.body()).isEqualTo("succeeded");
  }

  private static void send(JobEvent event) throws Exception {
    events.send(new ProducerRecord<>(KafkaSettings.EVENTS_TOPIC, event.jobId(), Json.bytes(event))).get(10, TimeUnit.SECONDS);
  }

  private static void awaitStatus(String id, String key, String status, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen;
    do {
      seen = new JsonObject(http.get("/v1/jobs/" + id, key).body()).getString("status");
      if (seen.equals(status)) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("job " + id + " never became " + status + ", last " + seen);
  }

  static String newKey() {
    return http.createKey(stack.adminToken(), "free");
  }

  static int used(String key) {
    return new JsonObject(http.get("/v1/usage", key).body()).getInteger("used");
  }

  static String submit(Http via, String key, String body) {
    HttpResponse<String> r = via.postJson("/v1/jobs", body, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getString("id");
  }

  static HttpResponse<String> delete(String id, String key) {
    return http.send("DELETE", "/v1/jobs/" + id, null, Map.of("x-api-key", key));
  }
}
