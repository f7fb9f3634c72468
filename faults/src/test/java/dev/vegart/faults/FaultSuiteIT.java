package dev.vegart.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.job.Decoder;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.job.OutputFormat;
import dev.vegart.common.json.Json;
import dev.vegart.stack.Http;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults injected into the fleet running as separate processes. Each test leaves the fleet whole again
 * for the next. The outcome of every fault is written to docs/RELIABILITY.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(240);
  private static final ReliabilityReport REPORT = new ReliabilityReport();
  private static Fleet fleet;
  private static Http gatewayA;
  private static Http gatewayB;
  private static String key;
  private static String keyId;
  private static Vertx vertx;
  private static Pool db;

  @BeforeAll
  static void startFleet() {
    fleet = Fleet.start(Path.of("target", "fleet-" + System.currentTimeMillis()).toAbsolutePath(), Map.of(
        "VEGART_UPLOAD_RETRY_BUDGET", "40s",
        "VEGART_TIERS", "free=100,two=2,unlimited=-1"));
    gatewayA = new Http(fleet.gatewayUrl(0));
    gatewayB = new Http(fleet.gatewayUrl(1));
    JsonObject created = createKey("unlimited");
    key = created.getString("key");
    keyId = created.getString("id");
    vertx = Vertx.vertx();
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(fleet.databaseUrl()).setUser("postgres")).using(vertx).build();
  }

  @AfterAll
  static void stopFleet() {
    REPORT.writeSection(Path.of("..", "docs", "RELIABILITY.md"), "faults", "Faults",
        "`FaultSuiteIT`. The fleet "
            + "runs as separate OS processes on loopback: a Kafka broker, PostgreSQL, S3Proxy, two gateways and two CPU "
            + "workers (tiny model), each started as `vegart infra kafka|postgres|s3`, `vegart gateway`, `vegart worker`.");
    if (db != null) {
      db.close();
      vertx.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @Order(1)
  void workerKilledInTheMiddleOfABatchLosesNoJob() {
    ManagedProcess worker = fleet.get("worker-a");
    long logOffset = worker.logSize();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(accepted((i % 2 == 0 ? gatewayA : gatewayB).postJson("/v1/jobs", job(512, 8, i), key)));
    }
    String started = worker.awaitLine(Pattern.compile("job (job_\\w+) started"), logOffset, Duration.ofSeconds(120)).group(1);
    worker.kill9();
    List<JsonObject> finished = awaitAll(ids);
    long succeeded = finished.stream().filter(j -> "succeeded".equals(j.getString("status"))).count();
    boolean oneResultEach = finished.stream().allMatch(j -> j.getJsonArray("images").size() == 1);
    fleet.restart("worker-a");
    REPORT.add("kill -9 of a worker in the middle of a batch",
        "every job completes, each with exactly one visible result",
        succeeded + "/" + ids.size() + " succeeded, one image each: " + oneResultEach + " (job " + started
            + " was running on the killed worker)", succeeded == ids.size() && oneResultEach);
    assertThat(succeeded).isEqualTo(ids.size());
    assertThat(oneResultEach).isTrue();
    assertThat(ids).contains(started);
  }

  @Test
  @Order(2)
  void kafkaBrokerRestartUnderLoadLosesNoAcceptedJob() throws Exception {
    List<String> accepted = new CopyOnWriteArrayList<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger otherErrors = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread load = new Thread(() -> {
      int i = 0;
      while (running.get()) {
        HttpResponse<String> r = (i % 2 == 0 ? gatewayA : gatewayB).postJson("/v1/jobs", job(64, 1, i), key);
        i++;
        if (r.statusCode() == 202) {
          accepted.add(new JsonObject(r.body()).getString("id"));
        } else if (r.statusCode() == 503) {
          refused.incrementAndGet();
        } else {
          otherErrors.incrementAndGet();
        }
        LockSupport.parkNanos(100_000_000L);
      }
    });
    load.start();
    awaitCount(accepted, 5);
    int exit = fleet.get("kafka").terminate(Duration.ofSeconds(60));
    fleet.restart("kafka");
    int acceptedAtRestart = accepted.size();
    awaitCount(accepted, acceptedAtRestart + 5);
    running.set(false);
    load.join();
    List<JsonObject> finished = awaitAll(accepted);
    long succeeded = finished.stream().filter(j -> "succeeded".equals(j.getString("status"))).count();
    REPORT.add("Kafka broker stopped and restarted under a steady submit load",
        "no accepted job lost; submits during the outage get 503, nothing else",
        accepted.size() + " accepted, " + succeeded + " succeeded, " + refused.get() + " refused with 503, "
            + otherErrors.get() + " other answers (broker exit code " + exit + ")",
        succeeded == accepted.size() && otherErrors.get() == 0);
    assertThat(succeeded).isEqualTo(accepted.size());
    assertThat(otherErrors.get()).isZero();
  }

  @Test
  @Order(3)
  void s3UnavailableFor30SecondsIsRiddenOut() {
    ManagedProcess s3 = fleet.get("s3");
    s3.terminate(Duration.ofSeconds(30));
    Instant down = Instant.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(accepted(gatewayA.postJson("/v1/jobs", job(64, 1, i), key)));
    }
    LockSupport.parkNanos(Duration.ofSeconds(30).minus(Duration.between(down, Instant.now())).toNanos());
    fleet.restart("s3");
    List<JsonObject> finished = awaitAll(ids);
    long succeeded = finished.stream().filter(j -> "succeeded".equals(j.getString("status"))).count();
    REPORT.add("S3 unavailable for 30 s (upload retry budget 40 s)", "uploads retried; every job completes once S3 is back",
        succeeded + "/" + ids.size() + " succeeded", succeeded == ids.size());
    assertThat(succeeded).isEqualTo(ids.size());
  }

  @Test
  @Order(4)
  void s3UnavailablePastTheRetryBudgetFailsTheJobAndRefundsIt() {
    String limited = createKey("two").getString("key");
    fleet.get("s3").terminate(Duration.ofSeconds(30));
    List<String> ids = List.of(accepted(gatewayA.postJson("/v1/jobs", job(64, 1, 1), limited)),
        accepted(gatewayB.postJson("/v1/jobs", job(64, 1, 2), limited)));
    int whileFull = gatewayA.postJson("/v1/jobs", job(64, 1, 3), limited).statusCode();
    List<JsonObject> finished = awaitAll(ids, limited);
    fleet.restart("s3");
    boolean failedWithReason = finished.stream().allMatch(j -> "failed".equals(j.getString("status"))
        && "storage_unavailable".equals(j.getJsonObject("error").getString("code")));
    int afterRefund = gatewayA.postJson("/v1/jobs", job(64, 1, 4), limited).statusCode();
    REPORT.add("S3 unavailable past the 40 s upload retry budget",
        "the job fails with a clear reason and its quota is refunded",
        "jobs " + finished.stream().map(j -> j.getString("status") + "/" + j.getJsonObject("error", new JsonObject()).getString("code")).toList()
            + "; a third submit on the 2-image key got " + whileFull + " before and " + afterRefund + " after the refund",
        failedWithReason && whileFull == 429 && afterRefund == 202);
    assertThat(failedWithReason).isTrue();
    assertThat(whileFull).isEqualTo(429);
    assertThat(afterRefund).isEqualTo(202);
  }

  @Test
  @Order(5)
  void postgresStoppedMeansNothingAcceptedThenRecoveryWithoutRestart() {
    fleet.get("postgres").terminate(Duration.ofSeconds(60));
    List<Integer> during = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      during.add((i % 2 == 0 ? gatewayA : gatewayB).postJson("/v1/jobs", job(64, 1, i), key).statusCode());
    }
    int readyDuring = gatewayA.send("GET", "/health/ready", null, Map.of()).statusCode();
    fleet.restart("postgres");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int after;
    do {
      after = gatewayB.postJson("/v1/jobs", job(64, 1, 9), key).statusCode();
    } while (after != 202 && System.nanoTime() < deadline);
    boolean all503 = during.stream().allMatch(s -> s == 503);
    REPORT.add("PostgreSQL stopped", "gateways answer 503 and accept nothing; they recover without a restart",
        "submits during the outage answered " + during + ", readiness " + readyDuring + "; after PostgreSQL came back: " + after,
        all503 && readyDuring == 503 && after == 202);
    assertThat(during).allMatch(s -> s == 503);
    assertThat(readyDuring).isEqualTo(503);
    assertThat(after).isEqualTo(202);
  }

  @Test
  @Order(6)
  void jobRecordedButNeverPublishedStillRuns() throws Exception {
    // What a gateway killed between its PostgreSQL commit and Kafka's ack leaves behind: a recorded job
    // that nobody published. The outbox relay of any gateway must publish it.
    String id = "job_" + Long.toString(System.nanoTime(), 36) + "relay";
    insertJob(id, null);
    JsonObject done = awaitAll(List.of(id)).get(0);
    // And the real thing: kill -9 a gateway in the middle of a burst of submits.
    List<String> accepted = new CopyOnWriteArrayList<>();
    Thread burst = new Thread(() -> {
      for (int i = 0; i < 40; i++) {
        try {
          HttpResponse<String> r = gatewayB.postJson("/v1/jobs", job(64, 1, i), key);
          if (r.statusCode() == 202) {
            accepted.add(new JsonObject(r.body()).getString("id"));
          }
        } catch (AssertionError connectionLost) {
          return;
        }
      }
    });
    burst.start();
    awaitCount(accepted, 3);
    fleet.get("gateway-b").kill9();
    burst.join();
    List<JsonObject> finished = awaitAll(accepted);
    long succeeded = finished.stream().filter(j -> "succeeded".equals(j.getString("status"))).count();
    fleet.restart("gateway-b");
    REPORT.add("a gateway dies between recording a job and publishing it (recorded-but-unpublished row; and kill -9 of a gateway mid-burst)",
        "the relay publishes the job and it runs; every 202 reaches a terminal state",
        "unpublished job " + done.getString("status") + "; " + succeeded + "/" + accepted.size() + " jobs accepted before the kill succeeded",
        "succeeded".equals(done.getString("status")) && succeeded == accepted.size());
    assertThat(done.getString("status")).isEqualTo("succeeded");
    assertThat(succeeded).isEqualTo(accepted.size());
  }

  @Test
  @Order(7)
  void poisonMessageIsDeadLetteredAndThePartitionKeepsFlowing() throws Exception {
    String id = "job_" + Long.toString(System.nanoTime(), 36) + "poison";
    insertJob(id, Instant.now());
    Properties props = new Properties();
    props.put("bootstrap.servers", fleet.kafkaBootstrapServers());
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>("vegart.jobs", id, "{not json".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      after.add(accepted(gatewayA.postJson("/v1/jobs", job(64, 1, i), key)));
    }
    JsonObject poisoned = awaitAll(List.of(id)).get(0);
    long succeeded = awaitAll(after).stream().filter(j -> "succeeded".equals(j.getString("status"))).count();
    boolean deadLettered = deadLettered(id);
    String code = poisoned.getJsonObject("error", new JsonObject()).getString("code");
    REPORT.add("a poison message on vegart.jobs", "dead-letter topic, the job fails with a reason, the partitions keep flowing",
        "job " + poisoned.getString("status") + " (" + code + "), in vegart.jobs.dlq: " + deadLettered + "; "
            + succeeded + "/" + after.size() + " later jobs succeeded",
        "failed".equals(poisoned.getString("status")) && deadLettered && succeeded == after.size());
    assertThat(poisoned.getString("status")).isEqualTo("failed");
    assertThat(code).isEqualTo("invalid_job");
    assertThat(deadLettered).isTrue();
    assertThat(succeeded).isEqualTo(after.size());
  }

  private static boolean deadLettered(String id) {
    Properties props = new Properties();
    props.put("bootstrap.servers", fleet.kafkaBootstrapServers());
    props.put("group.id", "fault-suite-dlq-" + System.nanoTime());
    props.put("auto.offset.reset", "earliest");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of("vegart.jobs.dlq"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (id.equals(r.key())) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Records a queued job straight in PostgreSQL, as the gateway does, published or not. */
  private static void insertJob(String id, Instant publishedAt) throws Exception {
    JobRequest job = new JobRequest(id, keyId, "a job the relay must find", 1, 5, 64, 64, 1, OutputFormat.PNG, Decoder.FULL,
        Instant.now().minusSeconds(10), null);
    await(db.preparedQuery("INSERT INTO jobs (id, key_id, status, request, num_images, quota_day, created_at, published_at) "
            + "VALUES ($1, $2, 'queued', $3::text::jsonb, 1, current_date, now() - interval '10 seconds', $4)")
        .execute(Tuple.of(id, keyId, Json.string(job), publishedAt == null ? null : publishedAt.atOffset(java.time.ZoneOffset.UTC))));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static JsonObject createKey(String tier) {
    HttpResponse<String> r = gatewayA.send("POST", "/admin/v1/keys", new JsonObject().put("tier", tier).encode(),
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + Fleet.ADMIN_TOKEN));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  private static String job(int size, int steps, int seed) {
    return new JsonObject().put("prompt", "fault suite " + seed).put("num_inference_steps", steps).put("seed", seed)
        .put("width", size).put("height", size).encode();
  }

  private static String accepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("id");
  }

  private static void awaitCount(List<String> list, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (list.size() < count) {
      assertThat(System.nanoTime()).as("waited for " + count + " accepted jobs, have " + list.size()).isLessThan(deadline);
      LockSupport.parkNanos(100_000_000L);
    }
  }

  private static List<JsonObject> awaitAll(List<String> ids) {
    return awaitAll(ids, key);
  }

  private static List<JsonObject> awaitAll(List<String> ids, String apiKey) {
    List<JsonObject> out = new ArrayList<>();
    for (String id : ids) {
      out.add(gatewayA.awaitTerminal(id, apiKey, JOB_TIMEOUT));
    }
    return out;
  }
}
