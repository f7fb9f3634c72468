package dev.vegart.gateway.kafka;

import dev.vegart.common.job.JobRequest;
import dev.vegart.common.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes jobs that were recorded but never acknowledged by Kafka (the gateway died, or Kafka failed,
 * between the insert and the ack). Runs every {@code interval} on every gateway; {@code FOR UPDATE SKIP
 * LOCKED} keeps two gateways off the same rows. Only jobs older than {@code minAge} are taken, so a
 * submit still in flight is not published twice; a duplicate would be harmless anyway (workers and the
 * event applier are idempotent).
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private final Vertx vertx;
  private final Pool pool;
  private final JobPublisher publisher;
  private final Duration interval;
  private final Duration minAge;
  private long timerId = -1;
  private boolean running;

  public OutboxRelay(Vertx vertx, Pool pool, JobPublisher publisher, Duration interval, Duration minAge) {
    this.vertx = vertx;
    this.pool = pool;
    this.publisher = publisher;
    this.interval = interval;
    this.minAge = minAge;
  }

  public void start() {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> {
      if (!running) {
        running = true;
        relayOnce().onComplete(r -> running = false);
      }
    });
  }

  public void stop() {
    vertx.cancelTimer(timerId);
  }

  /** One pass; completes with how many jobs were published. */
  public Future<Integer> relayOnce() {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT id, request::text AS request FROM jobs "
                + "WHERE published_at IS NULL AND created_at < now() - make_interval(secs => $1) "
                + "ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED")
            .execute(Tuple.of((double) minAge.toMillis() / 1000.0))
            .compose(rows -> {
              List<JobRequest> jobs = new ArrayList<>();
              for (Row row : rows) {
                jobs.add(Json.read(row.getString("request").getBytes(StandardCharsets.UTF_8), JobRequest.class));
              }
              return publishAll(conn, jobs);
            }))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("relay published {} recorded-but-unpublished jobs", n);
          }
        })
        .onFailure(e -> LOG.warn("relay pass failed, will retry: {}", e.toString()));
  }

  private Future<Integer> publishAll(SqlConnection conn, List<JobRequest> jobs) {
    List<Future<Void>> sends = jobs.stream().map(publisher::publish).toList();
    return Future.all(sends)
        .compose(all -> conn.preparedQuery("UPDATE jobs SET published_at = now() WHERE id = ANY($1)")
            .execute(Tuple.of(jobs.stream().map(JobRequest::id).toArray(String[]::new))))
        .map(jobs.size());
  }
}
