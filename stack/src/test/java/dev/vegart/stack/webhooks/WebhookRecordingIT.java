package dev.vegart.stack.webhooks;

import static dev.vegart.stack.StackDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.ids.Ids;
import dev.vegart.common.job.Decoder;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.job.OutputFormat;
import dev.vegart.common.json.Json;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import dev.vegart.stack.StackDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deliveries are recorded by the database in the transaction that changes a job's status, whichever code
 * makes the change: exercised here with plain SQL updates on job rows, while the shared gateway's sender is
 * paused so the rows stay as recorded.
 */
class WebhookRecordingIT {
  private static LocalStack stack;
  private static WebhookClient.Key key;
  private static StackDatabase db;
  private static Pool pool;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    key = new WebhookClient(new Http(stack.url())).createKey(stack.adminToken());
    db = new StackDatabase(stack);
    pool = db.pool();
    stack.gateway().webhookDelivery().pause();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      await(pool.query("UPDATE webhook_deliveries SET state = 'failed', last_error = 'test row' WHERE job_id LIKE 'job_rec_%'").execute());
    } finally {
      stack.gateway().webhookDelivery().resume();
      db.close();
    }
  }

  @Test
  void everySubscribedStatusChangeRecordsOneMessageStampedWithTheJobsTime() throws Exception {
    String job = job(new String[] {"job.started", "job.succeeded", "job.failed", "job.canceled", "job.expired"});
    sql("UPDATE jobs SET status = 'running', started_at = '2026-11-26T07:00:01Z' WHERE id = $1", job);
    sql("UPDATE jobs SET status = 'running' WHERE id = $1", job);
    sql("UPDATE jobs SET status = 'succeeded', finished_at = '2026-11-26T07:00:02Z' WHERE id = $1", job);
    assertThat(events(job)).containsExactly("job.started@2026-11-26T07:00:01Z", "job.succeeded@2026-11-26T07:00:02Z");
  }

  @Test
  void aRolledBackStatusChangeRecordsNothing() throws Exception {
    String job = job(new String[] {"job.canceled"});
    try {
      await(pool.withTransaction(conn -> conn.preparedQuery("UPDATE jobs SET status = 'canceled', finished_at = now() WHERE id = $1")
          .execute(Tuple.of(job))
          .compose(v -> Future.failedFuture(new IllegalStateException("roll back")))));
    } catch (Exception expected) {
      // the transaction was rolled back on purpose
    }
    assertThat(events(job)).isEmpty();
    sql("UPDATE jobs SET status = 'canceled', finished_at = '2026-11-26T07:00:03Z' WHERE id = $1", job);
    assertThat(events(job)).containsExactly("job.canceled@2026-11-26T07:00:03Z");
  }

  @Test
  void onlySubscribedEventsOfJobsWithAWebhookAreRecorded() throws Exception {
    String terminalOnly = job(new String[] {"job.succeeded", "job.failed", "job.canceled", "job.expired"});
    sql("UPDATE jobs SET status = 'running', started_at = now() WHERE id = $1", terminalOnly);
    sql("UPDATE jobs SET status = 'expired', finished_at = '2026-11-26T07:00:04Z' WHERE id = $1", terminalOnly);
    assertThat(events(terminalOnly)).containsExactly("job.expired@2026-11-26T07:00:04Z");

    String without = job(null);
    sql("UPDATE jobs SET status = 'failed', finished_at = now() WHERE id = $1", without);
    assertThat(events(without)).isEmpty();
  }

  /** A queued job row of the test key, with a webhook for {@code events} unless null. */
  private static String job(String[] events) throws Exception {
    String id = "job_rec_" + Ids.secret(10);
    if (events != null) {
      await(pool.preparedQuery("INSERT INTO job_webhooks (job_id, key_id, url, host, events) VALUES ($1, $2, $3, '127.0.0.1', $4)")
          .execute(Tuple.of(id, key.id(), "http://127.0.0.1:9/recorded", events)));
    }
    // A well-formed, already published job, so that nothing else in the gateway (the outbox relay, a reader)
    // treats it differently from a real one.
    JobRequest request = new JobRequest(id, key.id(), "recorded", 1, 1, 512, 512, 1, OutputFormat.PNG, Decoder.FULL,
        Instant.now(), null);
    await(pool.preparedQuery("INSERT INTO jobs (id, key_id, status, request, num_images, quota_day, created_at, published_at) "
            + "VALUES ($1, $2, 'queued', $3::text::jsonb, 1, current_date, now(), now())")
        .execute(Tuple.of(id, key.id(), Json.string(request))));
    return id;
  }

  private static void sql(String statement, String jobId) throws Exception {
    await(pool.preparedQuery(statement).execute(Tuple.of(jobId)));
  }

  private static List<String> events(String jobId) throws Exception {
    List<String> out = new ArrayList<>();
    await(pool.preparedQuery("SELECT event_type, event_at FROM webhook_deliveries WHERE job_id = $1 ORDER BY event_at")
        .execute(Tuple.of(jobId)))
        .forEach(r -> out.add(r.getString(0) + "@" + r.getOffsetDateTime(1).toInstant()));
    return out;
  }
}
