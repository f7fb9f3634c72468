package dev.vegart.gateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own meters (Vert.x adds {@code vegart_http_server_*} by route and status). As Prometheus
 * names them:
 * <ul>
 *   <li>{@code vegart_jobs_submitted_total}: job submissions (POST /v1/jobs and the Segmind endpoint);</li>
 *   <li>{@code vegart_jobs_accepted_total{tier}}: those answered 2xx;</li>
 *   <li>{@code vegart_jobs_rejected_total{reason}}: the others, reason = validation | auth | quota | overload |
 *       unavailable (the job store or Kafka failed);</li>
 *   <li>{@code vegart_job_duration_seconds{status}}: submit to terminal state, observed once per job by the
 *       gateway that applied its terminal event;</li>
 *   <li>{@code vegart_webhook_deliveries_total{outcome}} and {@code vegart_webhook_delivery_seconds{outcome}}:
 *       webhook attempts by outcome (delivered | retrying | failed | refused).</li>
 * </ul>
 * Labels are closed sets or configured tier names: never keys, key ids, job ids or prompts. Thread-safe.
 */
public final class GatewayMetrics {
  /** The rejection reasons; anything else is mapped to {@code unavailable}. */
  public static final Set<String> REASONS = Set.of("validation", "auth", "quota", "overload", "unavailable");
  /** The webhook outcomes; anything else is mapped to {@code failed}. */
  public static final Set<String> WEBHOOK_OUTCOMES = Set.of("delivered", "retrying", "failed", "refused");
  private static final Set<String> JOB_STATUSES = Set.of("succeeded", "failed", "canceled", "expired");

  private final MeterRegistry registry;
  private final Counter submitted;
  private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<String, Timer> jobDuration = new ConcurrentHashMap<>();
  private final Map<String, Counter> webhookDeliveries = new ConcurrentHashMap<>();
  private final Map<String, Timer> webhookLatency = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    submitted = Counter.builder("vegart.jobs.submitted").description("Job submissions").register(registry);
    // Registered up front so a rate over a reason that has not happened yet is 0, not absent.
    for (String reason : REASONS) {
      rejectedCounter(reason);
    }
    for (String status : JOB_STATUSES) {
      jobDuration(status);
    }
    for (String outcome : WEBHOOK_OUTCOMES) {
      webhookDelivery(outcome);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void submitted() {
    submitted.increment();
  }

  /** A submission answered 2xx; {@code tier} is the caller's configured tier. */
  public void accepted(String tier) {
    accepted.computeIfAbsent(tier == null ? "unknown" : tier, t -> Counter.builder("vegart.jobs.accepted")
        .description("Job submissions accepted, by the key's tier")
        .tag("tier", t)
        .register(registry)).increment();
  }

  public void rejected(String reason) {
    rejectedCounter(REASONS.contains(reason) ? reason : "unavailable").increment();
  }

  private Counter rejectedCounter(String reason) {
    return rejected.computeIfAbsent(reason, r -> Counter.builder("vegart.jobs.rejected")
        .description("Job submissions refused, by reason")
        .tag("reason", r)
        .register(registry));
  }

  /** A job reached {@code status} {@code duration} after it was submitted. */
  public void jobEnded(String status, Duration duration) {
    if (JOB_STATUSES.contains(status)) {
      jobDuration(status).record(duration.isNegative() ? Duration.ZERO : duration);
    }
  }

  private Timer jobDuration(String status) {
    return jobDuration.computeIfAbsent(status, s -> Timer.builder("vegart.job.duration")
        .description("From submit to the job's terminal state")
        .tag("status", s)
        .serviceLevelObjectives(seconds(0.5), seconds(1), seconds(2), seconds(5), seconds(10), seconds(30), seconds(60),
            seconds(120), seconds(300), seconds(600), seconds(1800), seconds(3600))
        .register(registry));
  }

  /**
   * One webhook attempt ended: for the webhook sender to call. {@code outcome} is delivered (2xx), retrying
   * (failed, another attempt is scheduled), failed (no attempt left) or refused (destination not allowed).
   */
  public void webhookDelivery(String outcome, long nanos) {
    String o = WEBHOOK_OUTCOMES.contains(outcome) ? outcome : "failed";
    webhookDelivery(o).increment();
    webhookLatency.get(o).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter webhookDelivery(String outcome) {
    webhookLatency.computeIfAbsent(outcome, o -> Timer.builder("vegart.webhook.delivery")
        .description("Duration of one webhook attempt")
        .tag("outcome", o)
        .serviceLevelObjectives(seconds(0.05), seconds(0.1), seconds(0.25), seconds(0.5), seconds(1), seconds(2.5),
            seconds(5), seconds(10), seconds(30))
        .register(registry));
    return webhookDeliveries.computeIfAbsent(outcome, o -> Counter.builder("vegart.webhook.deliveries")
        .description("Webhook attempts by outcome")
        .tag("outcome", o)
        .register(registry));
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos((long) (s * 1e9));
  }
}
