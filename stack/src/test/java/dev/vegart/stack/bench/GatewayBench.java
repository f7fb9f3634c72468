package dev.vegart.stack.bench;

import dev.vegart.common.config.Env;
import dev.vegart.gateway.Gateway;
import dev.vegart.gateway.GatewayConfig;
import dev.vegart.gateway.observability.GatewayObservability;
import dev.vegart.stack.embedded.EmbeddedKafka;
import dev.vegart.stack.embedded.EmbeddedPostgresServer;
import dev.vegart.stack.embedded.EmbeddedS3;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The gateway's submit path under load, everything on this machine: embedded Kafka, PostgreSQL and S3Proxy, one
 * gateway, no worker (jobs only pile up, the load shedder is opened wide). {@code clients} concurrent HTTP
 * clients (closed loop, keep-alive) submit 1-image jobs on unlimited keys for {@code seconds} after a warm-up;
 * then pgbench runs the submit transaction (quota upsert + job insert, as {@code JobStore.submit}) with 16
 * clients against the same PostgreSQL. Prints a table and writes {@code bench-results/gateway.json}.
 *
 * <p>Not a test: run with {@code deploy/bench/gateway-bench.sh [clients] [seconds]}.
 */
public final class GatewayBench {
  private static final String BODY = "{\"prompt\": \"a red cube on a wooden table, studio light\", \"num_images\": 1}";

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = 5;
    Path dir = Files.createTempDirectory("vegart-bench-");
    String accessKey = "bench-access";
    String secretKey = "bench-secret-0123456789";
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 4);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"));
        EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), accessKey, secretKey, "vegart-images")) {
      Env env = new Env(Map.ofEntries(
          Map.entry("VEGART_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
          Map.entry("VEGART_KAFKA_PARTITIONS", "4"),
          Map.entry("VEGART_DATABASE_URL", postgres.url()),
          Map.entry("VEGART_DATABASE_USER", postgres.user()),
          Map.entry("VEGART_S3_ENDPOINT", s3.endpoint().toString()),
          Map.entry("VEGART_S3_BUCKET", "vegart-images"),
          Map.entry("VEGART_ADMIN_TOKEN", "bench-admin-token-0123456789"),
          Map.entry("VEGART_KEY_PEPPER", "bench-pepper-0123456789"),
          Map.entry("VEGART_HTTP_PORT", "0"),
          Map.entry("VEGART_MAX_BACKLOG_SECONDS", "604800")));
      Vertx vertx = GatewayObservability.newVertx();
      Gateway gateway = Gateway.start(vertx, GatewayConfig.from(env),
              StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        keys.add(gateway.keys().create("unlimited", "bench-" + i).toCompletionStage().toCompletableFuture().get().key());
      }
      Vertx clientVertx = Vertx.vertx();
      Load load = run(clientVertx, gateway.port(), keys, clients, warmup, seconds);
      clientVertx.close().toCompletionStage().toCompletableFuture().get();
      gateway.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
      PgBench.Result pg = PgBench.run(postgres.port(), postgres.user(), 16, seconds);
      report(clients, seconds, load, pg);
    }
  }

  /** What the HTTP clients saw in the measured window. */
  record Load(long accepted, long refused, long errors, double seconds, long[] latencyMicros, Map<Integer, Long> statuses) {
    double perSecond() {
      return accepted / seconds;
    }

    double percentileMs(double p) {
      if (latencyMicros.length == 0) {
        return Double.NaN;
      }
      long[] sorted = latencyMicros.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }
  }

  private static Load run(Vertx vertx, int port, List<String> keys, int clients, int warmup, int seconds) throws Exception {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1")
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(clients));
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Map<Integer, Long> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      latencies[c] = new long[1 << 16];
      int client = c;
      String key = keys.get(c % keys.size());
      vertx.runOnContext(v -> loop(http, key, client, latencies, counts, measuring, stop, accepted, refused, errors, statuses, done));
    }
    Thread.sleep(warmup * 1000L);
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    double elapsed = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    done.await(30, TimeUnit.SECONDS);
    int total = 0;
    for (int n : counts) {
      total += n;
    }
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(latencies[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    return new Load(accepted.get(), refused.get(), errors.get(), elapsed, all, statuses);
  }

  private static void loop(HttpClient http, String key, int client, long[][] latencies, int[] counts, AtomicBoolean measuring,
      AtomicBoolean stop, AtomicLong accepted, AtomicLong refused, AtomicLong errors, Map<Integer, Long> statuses,
      CountDownLatch done) {
    if (stop.get()) {
      done.countDown();
      return;
    }
    long started = System.nanoTime();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/jobs")
            .putHeader("Content-Type", "application/json").putHeader("x-api-key", key))
        .compose(req -> req.send(Buffer.buffer(BODY)))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(result -> {
          boolean counted = measuring.get();
          if (counted) {
            if (result.succeeded()) {
              int status = result.result();
              statuses.merge(status, 1L, Long::sum);
              if (status == 202) {
                accepted.incrementAndGet();
                long micros = (System.nanoTime() - started) / 1000;
                if (counts[client] == latencies[client].length) {
                  latencies[client] = Arrays.copyOf(latencies[client], latencies[client].length * 2);
                }
                latencies[client][counts[client]++] = micros;
              } else {
                refused.incrementAndGet();
              }
            } else {
              errors.incrementAndGet();
            }
          }
          loop(http, key, client, latencies, counts, measuring, stop, accepted, refused, errors, statuses, done);
        });
  }

  private static void report(int clients, int seconds, Load load, PgBench.Result pg) throws Exception {
    String machine = Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + ", "
        + cpuModel() + ", load average " + loadAverage() + " (other processes share these CPUs)";
    double ratio = pg.tps() > 0 ? load.perSecond() / pg.tps() : Double.NaN;
    StringBuilder t = new StringBuilder();
    t.append("machine: ").append(machine).append('\n');
    t.append(String.format("%-44s %14s%n", "measure", "value"));
    t.append(String.format("%-44s %14s%n", "HTTP clients (closed loop, keep-alive)", clients));
    t.append(String.format("%-44s %12.1f s%n", "measured window", load.seconds()));
    t.append(String.format("%-44s %10.0f /s%n", "accepted submits (202)", load.perSecond()));
    t.append(String.format("%-44s %12.2f ms%n", "submit latency p50", load.percentileMs(0.50)));
    t.append(String.format("%-44s %12.2f ms%n", "submit latency p99", load.percentileMs(0.99)));
    t.append(String.format("%-44s %14d%n", "refused (non-202) / transport errors", load.refused() + load.errors()));
    t.append(String.format("%-44s %10.0f /s%n", "pgbench submit transaction, 16 clients", pg.tps()));
    t.append(String.format("%-44s %12.2f ms%n", "pgbench average latency", pg.latencyMs()));
    t.append(String.format("%-44s %14.3f%n", "gateway submits / pgbench transactions", ratio));
    t.append(String.format("%-44s %14s%n", "goal (>= 2000 /s, p99 <= 50 ms)",
        load.perSecond() >= 2000 && load.percentileMs(0.99) <= 50 ? "met" : "not met"));
    System.out.print(t);
    JsonObject json = new JsonObject()
        .put("machine", machine)
        .put("clients", clients)
        .put("seconds", load.seconds())
        .put("accepted_per_second", load.perSecond())
        .put("p50_ms", load.percentileMs(0.50))
        .put("p99_ms", load.percentileMs(0.99))
        .put("refused", load.refused())
        .put("errors", load.errors())
        .put("statuses", new JsonObject(new java.util.HashMap<>(load.statuses().entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue)))))
        .put("pgbench", new JsonObject().put("clients", 16).put("tps", pg.tps()).put("latency_avg_ms", pg.latencyMs())
            .put("script", new JsonArray(pg.script())))
        .put("ratio_to_pgbench", ratio)
        .put("goal", new JsonObject().put("accepted_per_second", 2000).put("p99_ms", 50));
    Path out = Path.of("bench-results");
    Files.createDirectories(out);
    Files.writeString(out.resolve("gateway.json"), json.encodePrettily() + "\n");
    System.out.println("wrote " + out.resolve("gateway.json").toAbsolutePath());
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (Exception e) {
      return "unknown CPU";
    }
  }
}
