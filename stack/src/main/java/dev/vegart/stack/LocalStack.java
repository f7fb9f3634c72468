package dev.vegart.stack;

import dev.vegart.common.config.Env;
import dev.vegart.gateway.Gateway;
import dev.vegart.gateway.GatewayConfig;
import dev.vegart.gateway.observability.GatewayObservability;
import dev.vegart.stack.embedded.EmbeddedKafka;
import dev.vegart.stack.embedded.EmbeddedPostgresServer;
import dev.vegart.stack.embedded.EmbeddedS3;
import dev.vegart.worker.pipeline.ModelInfo;
import dev.vegart.worker.pipeline.ModelDirectory;
import dev.vegart.worker.runtime.Worker;
import dev.vegart.worker.runtime.WorkerConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The whole system in one JVM: embedded KRaft Kafka, embedded PostgreSQL, S3Proxy on a local folder, the
 * gateway and (optionally) one CPU worker, all with state under one data directory that survives a
 * restart. Used by {@code ./vegart up} and by the integration tests.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
  public static final String BUCKET = "vegart-images";

  private final EmbeddedKafka kafka;
  private final EmbeddedPostgresServer postgres;
  private final EmbeddedS3 s3;
  private final Vertx vertx;
  private final Gateway gateway;
  private final Worker worker;
  private final Env env;
  private final LocalSecrets secrets;
  private final StaticCredentialsProvider credentials;

  private LocalStack(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, EmbeddedS3 s3, Vertx vertx, Gateway gateway,
      Worker worker, Env env, LocalSecrets secrets, StaticCredentialsProvider credentials) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.s3 = s3;
    this.vertx = vertx;
    this.gateway = gateway;
    this.worker = worker;
    this.env = env;
    this.secrets = secrets;
    this.credentials = credentials;
  }

  /**
   * Starts everything.
   *
   * @param dataDir where Kafka's log, PostgreSQL's data, the images and the secrets live
   * @param base the environment: {@code VEGART_HTTP_PORT}, {@code VEGART_ADMIN_TOKEN}, {@code VEGART_MODEL_DIR}
   *     and any other setting override the stack's defaults
   * @param withWorker whether to run a CPU worker in this JVM
   */
  public static LocalStack start(Path dataDir, Env base, boolean withWorker) throws Exception {
    Files.createDirectories(dataDir);
    LocalSecrets secrets = LocalSecrets.load(dataDir, base.get("VEGART_ADMIN_TOKEN"));
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 4);
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"));
    EmbeddedS3 s3 = EmbeddedS3.start(dataDir.resolve("s3"), secrets.get("s3.access-key"), secrets.get("s3.secret-key"), BUCKET);
    Path modelDir = Path.of(base.string("VEGART_MODEL_DIR", defaultModelDir().toString()));
    ModelInfo model = ModelDirectory.open(modelDir).manifest().info(false);
    Map<String, String> defaults = new HashMap<>();
    defaults.put("VEGART_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    defaults.put("VEGART_KAFKA_PARTITIONS", "4");
    defaults.put("VEGART_DATABASE_URL", postgres.url());
    defaults.put("VEGART_DATABASE_USER", postgres.user());
    defaults.put("VEGART_S3_ENDPOINT", s3.endpoint().toString());
    defaults.put("VEGART_S3_BUCKET", BUCKET);
    defaults.put("VEGART_ADMIN_TOKEN", secrets.get("admin-token"));
    defaults.put("VEGART_KEY_PEPPER", secrets.get("key-pepper"));
    defaults.put("VEGART_MODEL_DIR", modelDir.toString());
    defaults.put("VEGART_SIZES", model.sizes().stream().map(s -> s.width() + "x" + s.height()).collect(Collectors.joining(",")));
    defaults.put("VEGART_DEFAULT_STEPS", Integer.toString(model.defaultSteps()));
    defaults.put("VEGART_WORKER_HTTP_PORT", "0");
    defaults.put("VEGART_DEVICE", "cpu");
    defaults.put("VEGART_MAX_BATCH_SIZE", "4");
    Env env = new Env(defaults).with(onlySet(base));
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(secrets.get("s3.access-key"), secrets.get("s3.secret-key")));
    Vertx vertx = GatewayObservability.newVertx();
    Gateway gateway = Gateway.start(vertx, GatewayConfig.from(env), credentials)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Worker worker = withWorker ? Worker.start(WorkerConfig.from(env), credentials) : null;
    LocalStack stack = new LocalStack(kafka, postgres, s3, vertx, gateway, worker, env, secrets, credentials);
    stack.ensureDemoKey();
    return stack;
  }

  /** The trained demo model when the repository has it, else the tiny random model. */
  static Path defaultModelDir() {
    Path demo = Path.of("models/demo");
    return Files.exists(demo.resolve("manifest.json")) ? demo : Path.of("models/tiny-random");
  }

  private static Map<String, String> onlySet(Env base) {
    Map<String, String> out = new HashMap<>();
    for (String name : new String[] {"VEGART_HTTP_PORT", "VEGART_MODEL_DIR", "VEGART_TIERS", "VEGART_IMAGE_URL_TTL",
        "VEGART_SCHEDULER_POLICY", "VEGART_MAX_BATCH_SIZE", "VEGART_SIZES", "VEGART_RELAY_INTERVAL", "VEGART_RELAY_MIN_AGE",
        "VEGART_UPLOAD_RETRY_BUDGET", "VEGART_SHUTDOWN_GRACE", "VEGART_DEVICE",
        "VEGART_WEBHOOK_RETRY_SCHEDULE", "VEGART_WEBHOOK_ALLOW_HOSTS", "VEGART_WEBHOOK_TIMEOUT", "VEGART_WEBHOOK_POLL_INTERVAL",
        "VEGART_OTEL_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_BSP_SCHEDULE_DELAY"}) {
      base.get(name).ifPresent(v -> out.put(name, v));
    }
    return out;
  }

  private void ensureDemoKey() throws Exception {
    if (secrets.demoKey().isPresent()) {
      return;
    }
    var created = gateway.keys().create("free", "demo").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    secrets.demoKey(created.key());
  }

  public String url() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public String adminToken() {
    return secrets.get("admin-token");
  }

  public String demoKey() {
    return secrets.demoKey().orElseThrow();
  }

  public Env env() {
    return env;
  }

  public StaticCredentialsProvider s3Credentials() {
    return credentials;
  }

  public Gateway gateway() {
    return gateway;
  }

  public Worker worker() {
    return worker;
  }

  public String kafkaBootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    if (worker != null) {
      worker.shutdown(Duration.ofSeconds(10));
    }
    gateway.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    s3.close();
    kafka.close();
    postgres.close();
    LOG.info("stack stopped");
  }
}
