package dev.vegart.gateway.webhooks;

import dev.vegart.common.ids.Ids;
import dev.vegart.common.tracing.LogFields;
import dev.vegart.common.tracing.Otel;
import dev.vegart.common.tracing.TraceContext;
import dev.vegart.common.tracing.TracedSpan;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due webhook deliveries. Every poll claims due rows with a lease ({@link WebhookStore#claim}), so any
 * number of gateways share the work and none sends a delivery another is sending; a gateway that stops (or
 * dies) leaves its rows to the others once the lease ends, and nothing but PostgreSQL holds state across a
 * restart. Attempts are non-blocking HTTP requests, at most {@code maxInFlight} per gateway and
 * {@code maxPerHost} per destination host, so a slow receiver only ever holds its own slots. All counters are
 * confined to this verticle's event loop; {@link #pause()} and {@link #resume()} may be called from any thread.
 */
public final class WebhookDeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryVerticle.class);
  private static final Duration ORPHAN_AGE = Duration.ofHours(1);

  private final WebhookStore store;
  private final WebhookConfig config;
  private final JobSnapshots snapshots;
  private final DeliveryMeter meter;
  private final HostResolver resolver;
  private final Clock clock;
  private final RandomGenerator random;
  private final Otel otel;
  private final String owner = "gw-" + ProcessHandle.current().pid() + "-" + Ids.secret(5);
  private final Map<String, Integer> perHost = new HashMap<>();
  private volatile boolean paused;
  private WebhookSender sender;
  private int inFlight;
  private boolean polling;
  private long pollTimer = -1;
  private long sweepTimer = -1;

  /**
   * @param resolver null for the system resolver
   * @param otel exports a client span per attempt, child of the job's trace
   */
  public WebhookDeliveryVerticle(WebhookStore store, WebhookConfig config, JobSnapshots snapshots, DeliveryMeter meter,
      HostResolver resolver, Clock clock, RandomGenerator random, Otel otel) {
    this.store = store;
    this.config = config;
    this.snapshots = snapshots;
    this.meter = meter;
    this.resolver = resolver;
    this.clock = clock;
    this.random = random;
    this.otel = otel;
  }

  @Override
  public Future<?> start() {
    sender = new WebhookSender(vertx, config.destinations(), resolver != null ? resolver : HostResolver.system(vertx),
        config.attemptTimeout(), config.maxPerHost(), clock);
    pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> poll());
    sweepTimer = vertx.setPeriodic(ORPHAN_AGE.toMillis(), id -> store.sweepOrphans(ORPHAN_AGE)
        .onFailure(e -> LOG.warn("webhook orphan sweep failed: {}", e.toString())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(sweepTimer);
    sender.close();
    return Future.succeededFuture();
  }

  /** This gateway's name in leases and in the delivery log. */
  public String owner() {
    return owner;
  }

  /** Stops claiming deliveries (attempts in flight finish); other gateways, or {@link #resume()}, carry on. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
  }

  /** Pauses and undeploys this verticle if it was deployed; attempts in flight end with the Vert.x instance. */
  public void shutdown() {
    paused = true;
    if (context != null) {
      vertx.undeploy(context.deploymentID());
    }
  }

  private void poll() {
    int free = config.maxInFlight() - inFlight;
    if (paused || polling || free <= 0) {
      return;
    }
    polling = true;
    List<String> busy = perHost.entrySet().stream().filter(e -> e.getValue() >= config.maxPerHost()).map(Map.Entry::getKey).toList();
    store.claim(owner, free, busy, config.maxPerHost(), config.lease())
        .onComplete(ar -> {
          polling = false;
          if (ar.failed()) {
            LOG.warn("could not claim webhook deliveries, will retry: {}", ar.cause().toString());
            return;
          }
          ar.result().forEach(this::begin);
        });
  }

  private void begin(Claim claim) {
    if (claim.disabled()) {
      store.skipDisabled(claim, owner).onFailure(e -> LOG.warn("could not skip delivery {}: {}", claim.id(), e.toString()));
      return;
    }
    int hostLoad = perHost.getOrDefault(claim.host(), 0);
    if (hostLoad >= config.maxPerHost() || paused) {
      store.release(claim.id(), owner);
      return;
    }
    inFlight++;
    perHost.put(claim.host(), hostLoad + 1);
    deliver(claim).onComplete(ar -> {
      inFlight--;
      perHost.computeIfPresent(claim.host(), (h, n) -> n <= 1 ? null : n - 1);
      if (ar.failed()) {
        LOG.warn("webhook delivery {} could not be completed, another attempt follows its lease: {}", claim.id(), ar.cause().toString());
        store.release(claim.id(), owner);
      }
    });
  }

  private Future<Void> deliver(Claim claim) {
    // The attempt's span is a child of the submit request's span; its id is the traceparent the receiver gets.
    TracedSpan span = otel.span("webhook " + claim.event(), SpanKind.CLIENT, claim.trace())
        .attribute("vegart.job_id", claim.jobId()).attribute("vegart.webhook_id", claim.id())
        .attribute("vegart.webhook_attempt", claim.attempts() + 1L).attribute("server.address", claim.host());
    TraceContext attempt = span.context();
    return snapshots.render(claim.jobId(), claim.keyId())
        .compose(job -> {
          Buffer body = WebhookPayload.body(claim.event(), claim.eventAt(), job.orElse(new JsonObject().put("id", claim.jobId())));
          return sender.send(claim.url(), WebhookPayload.headers(claim, body, clock.instant(), attempt), body);
        })
        .onFailure(e -> span.end("not sent: " + e))
        .compose(result -> {
          NextStep next = NextStep.after(result, claim.roundAttempts() + 1, config.schedule(), random);
          meter.record(DeliveryMeter.outcome(result, next), result.durationMs() * 1_000_000L);
          if (result.httpStatus() != null) {
            span.attribute("http.response.status_code", result.httpStatus().longValue());
          }
          span.end(result.delivered() ? null : result.error());
          try (LogFields.Scope fields = LogFields.forJob(claim.jobId(), claim.keyId(), attempt)) {
            LOG.info("webhook {} {} for job {} attempt {}: {} -> {}", claim.id(), claim.event(), claim.jobId(), claim.attempts() + 1,
                result.delivered() ? "HTTP " + result.httpStatus() : result.error(), next.state());
          }
          return store.complete(claim, result, next, owner);
        })
        .mapEmpty();
  }
}
