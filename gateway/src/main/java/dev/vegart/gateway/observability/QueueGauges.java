package dev.vegart.gateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fleet-wide queue and quota figures read from PostgreSQL every {@code interval} (two small queries per
 * gateway, whatever the scrape rate: a scrape reads the last values and never queries). Every gateway reports
 * the same fleet figures, so dashboards and rules take {@code max} over gateways:
 * <ul>
 *   <li>{@code vegart_queue_jobs}, {@code vegart_queue_images}: queued jobs and their images;</li>
 *   <li>{@code vegart_queue_oldest_age_seconds}: age of the oldest queued job (0 when none);</li>
 *   <li>{@code vegart_queue_throughput_images_per_second}: images finished per second over the last 10 minutes
 *       of work (as the gateway's load shedding measures it);</li>
 *   <li>{@code vegart_queue_backlog_seconds}: queued images at that throughput (1 s per image while unmeasured)
 *       – the GPU work waiting;</li>
 *   <li>{@code vegart_quota_used_images{tier}}: images granted today (UTC) to the keys of each tier;</li>
 *   <li>{@code vegart_queue_poll_errors_total}: polls that failed (PostgreSQL unreachable).</li>
 * </ul>
 */
public final class QueueGauges implements AutoCloseable {
  /** Assumed GPU seconds per image while nothing has been measured, as in the load shedder. */
  static final double UNMEASURED_SECONDS_PER_IMAGE = 1.0;
  private static final String QUEUE_SQL = "SELECT "
      + "(SELECT COUNT(*) FROM jobs WHERE status = 'queued') AS jobs, "
      + "(SELECT COALESCE(SUM(num_images), 0) FROM jobs WHERE status = 'queued') AS images, "
      + "(SELECT COALESCE(EXTRACT(EPOCH FROM now() - MIN(created_at)), 0) FROM jobs WHERE status = 'queued')::float8 AS oldest, "
      + "COALESCE(SUM(num_images), 0) AS done, "
      + "COALESCE(EXTRACT(EPOCH FROM MAX(finished_at) - MIN(COALESCE(started_at, created_at))), 0)::float8 AS span "
      + "FROM jobs WHERE status = 'succeeded' AND finished_at > now() - interval '10 minutes'";
  private static final String QUOTA_SQL = "SELECT k.tier AS tier, COALESCE(SUM(q.used), 0) AS used "
      + "FROM quota_usage q JOIN api_keys k ON k.id = q.key_id "
      + "WHERE q.day = (now() AT TIME ZONE 'UTC')::date GROUP BY k.tier";

  /** One poll's figures. */
  record Snapshot(long jobs, long images, double oldestSeconds, double imagesPerSecond) {
    double backlogSeconds() {
      return imagesPerSecond > 0 ? images / imagesPerSecond : images * UNMEASURED_SECONDS_PER_IMAGE;
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final Duration interval;
  private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(0, 0, 0, 0));
  private final MultiGauge quota;
  private final Counter errors;
  private long timer = -1;
  private boolean polling;

  QueueGauges(Vertx vertx, Pool pool, Duration interval, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.interval = interval;
    gauge(registry, "vegart.queue.jobs", "Queued jobs (fleet-wide)", null, s -> s.jobs());
    gauge(registry, "vegart.queue.images", "Images of queued jobs (fleet-wide)", null, s -> s.images());
    gauge(registry, "vegart.queue.oldest.age", "Age of the oldest queued job", "seconds", Snapshot::oldestSeconds);
    gauge(registry, "vegart.queue.throughput", "Images finished per second over the last 10 minutes of work",
        "images.per.second", Snapshot::imagesPerSecond);
    gauge(registry, "vegart.queue.backlog", "Queued GPU work: queued images at the measured throughput", "seconds",
        Snapshot::backlogSeconds);
    quota = MultiGauge.builder("vegart.quota.used").description("Images granted today (UTC) per tier")
        .baseUnit("images").register(registry);
    errors = Counter.builder("vegart.queue.poll.errors").description("Queue and quota polls that failed").register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, String unit,
      java.util.function.ToDoubleFunction<Snapshot> value) {
    Gauge.builder(name, last, ref -> value.applyAsDouble(ref.get())).description(description).baseUnit(unit).register(registry);
  }

  void start() {
    poll();
    timer = vertx.setPeriodic(interval.toMillis(), id -> poll());
  }

  /** One poll; completes when both queries are done (used by tests and at start). */
  Future<Void> poll() {
    if (polling) {
      return Future.succeededFuture();
    }
    polling = true;
    return Future.all(pool.query(QUEUE_SQL).execute().map(rows -> snapshot(rows.iterator().next())).onSuccess(last::set),
            pool.query(QUOTA_SQL).execute().onSuccess(rows -> {
              List<MultiGauge.Row<?>> tiers = new ArrayList<>();
              for (Row row : rows) {
                tiers.add(MultiGauge.Row.of(Tags.of("tier", row.getString("tier")), row.getLong("used")));
              }
              quota.register(tiers, true);
            }))
        .onFailure(e -> errors.increment())
        .onComplete(r -> polling = false)
        .mapEmpty();
  }

  private static Snapshot snapshot(Row row) {
    long done = row.getLong("done");
    double span = row.getDouble("span");
    double rate = done > 0 ? done / Math.max(1.0, span) : 0;
    return new Snapshot(row.getLong("jobs"), row.getLong("images"), row.getDouble("oldest"), rate);
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
