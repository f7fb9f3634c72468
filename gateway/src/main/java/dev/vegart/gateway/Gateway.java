package dev.vegart.gateway;

import dev.vegart.common.storage.S3Clients;
import dev.vegart.common.tracing.Otel;
import dev.vegart.gateway.db.Database;
import dev.vegart.gateway.events.JobEventApplier;
import dev.vegart.gateway.events.JobEventConsumer;
import dev.vegart.gateway.health.HealthRoutes;
import dev.vegart.gateway.images.ImageUrls;
import dev.vegart.gateway.api.JobWaiters;
import dev.vegart.gateway.api.LoadShedder;
import dev.vegart.gateway.api.QueueStats;
import dev.vegart.gateway.jobs.ExpirySweeper;
import dev.vegart.gateway.jobs.JobRoutes;
import dev.vegart.gateway.jobs.JobService;
import dev.vegart.gateway.jobs.JobStore;
import dev.vegart.gateway.jobs.JobView;
import dev.vegart.gateway.kafka.ControlPublisher;
import dev.vegart.gateway.kafka.JobPublisher;
import dev.vegart.gateway.kafka.OutboxRelay;
import dev.vegart.gateway.kafka.Topics;
import dev.vegart.gateway.keys.AdminRoutes;
import dev.vegart.gateway.keys.ApiKeyStore;
import dev.vegart.gateway.keys.Authentication;
import dev.vegart.gateway.keys.KeyHasher;
import dev.vegart.gateway.live.JobEventStream;
import dev.vegart.gateway.live.LiveEvents;
import dev.vegart.gateway.live.StreamSettings;
import dev.vegart.gateway.observability.GatewayObservability;
import dev.vegart.gateway.openapi.OpenApiRoutes;
import dev.vegart.gateway.playground.PlaygroundRoutes;
import dev.vegart.gateway.quota.UsageRoutes;
import dev.vegart.gateway.segmind.ImageFetcher;
import dev.vegart.gateway.segmind.SegmindRoutes;
import dev.vegart.gateway.webhooks.HostResolver;
import dev.vegart.gateway.webhooks.WebhookDeliveryVerticle;
import dev.vegart.gateway.webhooks.WebhookRoutes;
import dev.vegart.gateway.webhooks.WebhookSecrets;
import dev.vegart.gateway.webhooks.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The gateway's composition root: wires the database, Kafka, S3 and HTTP parts from one {@link GatewayConfig}
 * and owns their life cycle. Several gateways may run against the same Kafka, PostgreSQL and S3.
 */
public final class Gateway implements AutoCloseable {
  private final Vertx vertx;
  private final Pool pool;
  private final JobPublisher publisher;
  private final JobEventConsumer events;
  private final OutboxRelay relay;
  private final Admin admin;
  private final S3Client s3;
  private final S3Presigner presigner;
  private final HttpVerticle http;
  private final ApiKeyStore keys;
  private final ApiParts api;
  private final LiveEvents live;
  private final WebhookDeliveryVerticle webhookDelivery;
  private final Otel otel;

  private Gateway(Vertx vertx, Pool pool, JobPublisher publisher, JobEventConsumer events, OutboxRelay relay, Admin admin,
      S3Client s3, S3Presigner presigner, HttpVerticle http, ApiKeyStore keys, ApiParts api,
      WebhookDeliveryVerticle webhookDelivery,
      LiveEvents live, Otel otel) {
    this.vertx = vertx;
    this.pool = pool;
    this.publisher = publisher;
    this.events = events;
    this.relay = relay;
    this.admin = admin;
    this.s3 = s3;
    this.presigner = presigner;
    this.http = http;
    this.keys = keys;
    this.api = api;
    this.live = live;
    this.webhookDelivery = webhookDelivery;
    this.otel = otel;
  }

  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, AwsCredentialsProvider credentials) {
    Pool pool = Database.pool(vertx, config.database());
    return Database.migrate(pool)
        .compose(v -> vertx.executeBlocking(() -> {
          Topics.ensure(config.kafka(), config.kafkaPartitions(), config.kafkaReplication());
          return null;
        }))
        .compose(v -> wire(vertx, config, credentials, pool))
        .onFailure(e -> pool.close());
  }

  private static Future<Gateway> wire(Vertx vertx, GatewayConfig config, AwsCredentialsProvider credentials, Pool pool) {
    String instance = "gateway-" + ProcessHandle.current().pid();
    Otel otel = Otel.create(config.otel());
    JobPublisher publisher = JobPublisher.create(vertx, config.kafka().producer(instance), config.kafka().jobsTopic());
    LiveEvents live = LiveEvents.create(config.kafka(), instance + "-live");
    JobEventConsumer events = new JobEventConsumer(config.kafka().consumer(instance, "vegart-gateway"),
        config.kafka().eventsTopic(), new JobEventApplier(pool),
        GatewayObservability.of(vertx).jobEventListener(pool));
    S3Client s3 = S3Clients.client(config.s3(), credentials);
    S3Presigner presigner = S3Clients.presigner(config.s3(), credentials);
    Admin admin = Admin.create(config.kafka().admin(instance + "-health"));
    JobStore store = new JobStore(pool);
    ApiKeyStore keys = new ApiKeyStore(pool, new KeyHasher(config.keyPepper()), config.tiers(), config.authCacheTtl());
    OutboxRelay relay = new OutboxRelay(vertx, pool, publisher, config.relayInterval(), config.relayMinAge());
    HealthRoutes health = new HealthRoutes(List.of(
        new HealthRoutes.Check("postgresql", () -> pool.query("SELECT 1").execute().timeout(2, TimeUnit.SECONDS)),
        new HealthRoutes.Check("kafka", () -> vertx.executeBlocking(
            () -> admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS), false)),
        new HealthRoutes.Check("s3", () -> vertx.executeBlocking(
            () -> s3.headBucket(b -> b.bucket(config.s3().bucket())), false).timeout(5, TimeUnit.SECONDS))));
    ControlPublisher control = new ControlPublisher(vertx, config.kafka().producer(instance + "-control"));
    QueueStats stats = new QueueStats(pool);
    JobWaiters waiters = new JobWaiters(vertx, store, Duration.ofSeconds(1));
    ExpirySweeper sweeper = new ExpirySweeper(vertx, pool, config.expiryInterval());
    JobView view = new JobView(new ImageUrls(presigner, config.s3().bucket(), config.imageUrlTtl()));
    WebhookStore webhookStore = new WebhookStore(pool);
    WebhookRoutes webhooks = new WebhookRoutes(webhookStore, new WebhookSecrets(pool), config.webhooks().destinations(),
        HostResolver.system(vertx));
    WebhookDeliveryVerticle webhookDelivery = new WebhookDeliveryVerticle(webhookStore, config.webhooks(),
        (jobId, keyId) -> store.find(jobId, keyId).map(found -> found.map(view::render)),
        GatewayObservability.of(vertx).metrics()::webhookDelivery, null, java.time.Clock.systemUTC(),
        new java.util.SplittableRandom(), otel);
    JobService jobs = new JobService(store, publisher, control, new LoadShedder(stats, config.maxBacklogSeconds()), stats,
        waiters, view, webhooks);
    HttpVerticle http = new HttpVerticle(config, new Authentication(keys), new JobRoutes(jobs, config.limits()),
        new AdminRoutes(keys, config.adminToken()), health, new UsageRoutes(keys),
        new SegmindRoutes(jobs, config.limits(), new ImageFetcher(vertx, s3, config.s3().bucket()), config.syncTimeout()),
        new OpenApiRoutes(config.limits()), new JobEventStream(jobs, live, StreamSettings.DEFAULTS), new PlaygroundRoutes(), otel);
    Gateway gateway = new Gateway(vertx, pool, publisher, events, relay, admin, s3, presigner, http, keys,
        new ApiParts(control, waiters, sweeper), webhookDelivery, live, otel);
    events.start();
    live.start();
    relay.start();
    GatewayObservability.of(vertx).startQueueGauges(vertx, pool, java.time.Duration.ofSeconds(5));
    sweeper.start();
    return waiters.start(Database.connectOptions(config.database()))
        .compose(v -> vertx.deployVerticle(webhookDelivery))
        .compose(v -> vertx.deployVerticle(http))
        .map(id -> gateway)
        .onFailure(e -> gateway.close());
  }

  /** The public API's own parts (issue 5), closed with the gateway. */
  private record ApiParts(ControlPublisher control, JobWaiters waiters, ExpirySweeper sweeper) implements AutoCloseable {
    @Override
    public void close() {
      sweeper.stop();
      waiters.close();
      control.close();
    }
  }

  /** The port the HTTP server listens on (useful when configured as 0). */
  public int port() {
    return http.actualPort();
  }

  /** The HTTP routes as mounted. */
  public io.vertx.ext.web.Router router() {
    return http.router();
  }

  public ApiKeyStore keys() {
    return keys;
  }

  /** The webhook sender of this gateway (pausing it leaves its deliveries to the other gateways). */
  public WebhookDeliveryVerticle webhookDelivery() {
    return webhookDelivery;
  }

  @Override
  public void close() {
    webhookDelivery.shutdown();
    api.close();
    relay.stop();
    events.close();
    live.close();
    publisher.close();
    admin.close();
    s3.close();
    presigner.close();
    GatewayObservability.of(vertx).stopQueueGauges();
    pool.close();
    otel.close();
  }
}
