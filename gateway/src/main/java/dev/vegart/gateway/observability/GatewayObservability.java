package dev.vegart.gateway.observability;

import dev.vegart.common.tracing.Otel;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The gateway's metrics, tracing and access log, one per Vert.x instance. {@link #newVertx()} builds the
 * Vert.x instance with HTTP server metrics by route, method and status (renamed {@code vegart_http_server_*};
 * no path label, so job ids never become series); on a Vert.x instance made elsewhere {@link #of} still gives
 * the gateway's own meters, without the HTTP ones. Thread-safe.
 */
public final class GatewayObservability {
  private static final String MAP = "vegart.observability";
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

  private record Holder(GatewayObservability value) implements Shareable {}

  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  private QueueGauges queue;

  private GatewayObservability(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.metrics = new GatewayMetrics(registry);
  }

  /** A Vert.x instance whose HTTP server metrics land in the gateway's registry. */
  public static Vertx newVertx() {
    PrometheusMeterRegistry registry = newRegistry();
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE))
        .setDisabledMetricsCategories(Set.of(MetricsDomain.NET_SERVER.name(), MetricsDomain.NET_CLIENT.name(),
            MetricsDomain.DATAGRAM_SOCKET.name(), MetricsDomain.EVENT_BUS.name(), MetricsDomain.HTTP_CLIENT.name()));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    vertx.sharedData().<String, Holder>getLocalMap(MAP).put(MAP, new Holder(new GatewayObservability(registry)));
    return vertx;
  }

  /** The gateway's observability on {@code vertx}, created on first use when {@link #newVertx()} did not. */
  public static GatewayObservability of(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    Holder holder = map.get(MAP);
    if (holder == null) {
      map.putIfAbsent(MAP, new Holder(new GatewayObservability(newRegistry())));
      holder = map.get(MAP);
    }
    return holder.value();
  }

  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        // vegart_ is the prefix of everything this fleet exports.
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            if (!id.getName().startsWith("vertx.")) {
              return id;
            }
            List<Tag> tags = id.getTags().stream()
                .map(t -> t.getKey().equals("method") && !METHODS.contains(t.getValue()) ? Tag.of("method", "OTHER") : t)
                .toList();
            return id.withName("vegart." + id.getName().substring("vertx.".length())).replaceTags(tags);
          }

          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (!id.getName().equals("vegart.http.server.response.time")) {
              return config;
            }
            return DistributionStatisticConfig.builder()
                .percentilesHistogram(true)
                .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos())
                .build().merge(config);
          }
        });
    return registry;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The meters the webhook sender and others record on. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * Mounts the request observer (tracing, access log, submission counts) as the router's first handler and
   * {@code GET /metrics}. Call right after creating the router; {@code otel} exports a span per job submission.
   */
  public void mount(Router router, Otel otel) {
    RequestObserver observer = new RequestObserver(metrics, otel);
    router.route().handler(observer::handle);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
  }

  /** Starts polling PostgreSQL for the queue and quota gauges every {@code interval}. */
  public synchronized void startQueueGauges(Vertx vertx, Pool pool, Duration interval) {
    if (queue == null) {
      queue = new QueueGauges(vertx, pool, interval, registry);
      queue.start();
    }
  }

  public synchronized void stopQueueGauges() {
    if (queue != null) {
      queue.close();
      queue = null;
    }
  }

  /** What the job event consumer calls with each event that changed a job (end-to-end latency). */
  public Consumer<byte[]> jobEventListener(Pool pool) {
    JobLatency latency = new JobLatency(pool, metrics);
    return latency::changed;
  }
}
