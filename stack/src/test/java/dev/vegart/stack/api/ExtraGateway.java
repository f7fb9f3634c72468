package dev.vegart.stack.api;

import dev.vegart.gateway.Gateway;
import dev.vegart.gateway.GatewayConfig;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another gateway in the test JVM, against the shared stack's Kafka, PostgreSQL and S3, like a second replica.
 * {@link #parked()} is one whose jobs topic no worker reads, so its jobs stay queued as long as a test needs.
 */
final class ExtraGateway implements AutoCloseable {
  static final String PARKED_TOPIC = "vegart.jobs.parked";
  /**
   * Settings of a parked gateway. Its backlog limit is lifted: parked jobs never drain, and the CPU fleet's
   * measured throughput is low enough that a few dozen of them would otherwise shed.
   */
  static final Map<String, String> PARKED = Map.of("VEGART_KAFKA_JOBS_TOPIC", PARKED_TOPIC, "VEGART_MAX_BACKLOG_SECONDS", "604800",
      // Bursts of 150 submits per gateway on one key wait on that key's quota row: let them wait in PostgreSQL
      // rather than time out in the pool's queue on this shared two-core machine.
      "VEGART_DATABASE_POOL_SIZE", "48",
      // Its outbox relay would park other gateways' unpublished jobs in its topic, where no worker reads them.
      "VEGART_RELAY_MIN_AGE", "7d");
  private static ExtraGateway parked;

  private final Vertx vertx;
  private final Gateway gateway;

  private ExtraGateway(Vertx vertx, Gateway gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
  }

  /** Starts a gateway with the shared stack's settings plus {@code overrides}. */
  static ExtraGateway start(Map<String, String> overrides) {
    LocalStack stack = SharedStack.get();
    Map<String, String> env = new HashMap<>(overrides);
    env.put("VEGART_HTTP_PORT", "0");
    Vertx vertx = Vertx.vertx();
    try {
      Gateway gateway = Gateway.start(vertx, GatewayConfig.from(stack.env().with(env)), stack.s3Credentials())
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return new ExtraGateway(vertx, gateway);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the extra gateway did not start", e);
    }
  }

  /** The JVM's parked gateway: same database and keys, but its jobs go to a topic no worker reads. */
  static synchronized ExtraGateway parked() {
    if (parked == null) {
      parked = start(PARKED);
      // It lives for the whole JVM: it must not also send webhooks, or tests of one gateway's delivery
      // limits (WebhookDispatchIT) would see two gateways' attempts.
      parked.gateway.webhookDelivery().pause();
      Runtime.getRuntime().addShutdownHook(new Thread(parked::close));
    }
    return parked;
  }

  String url() {
    return "http://127.0.0.1:" + gateway.port();
  }

  @Override
  public void close() {
    gateway.close();
    vertx.close();
  }
}
