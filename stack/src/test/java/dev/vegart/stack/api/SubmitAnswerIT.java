package dev.vegart.stack.api;

import static dev.vegart.stack.StackDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import dev.vegart.stack.StackDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answer to a submit is built from what was recorded, without reading the job back (issue 9): it still shows
 * the new job's queue place, and each job is marked as published although the client does not wait for the mark.
 * Uses the parked gateway, whose outbox relay republishes nothing for days, so only the submit path marks.
 */
class SubmitAnswerIT {
  private static final String SMALL = "{\"prompt\": \"answered at once\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64}";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static LocalStack stack;
  private static Http http;
  private static Http parked;
  private static StackDatabase db;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    parked = new Http(ExtraGateway.parked().url());
    db = new StackDatabase(stack);
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void aNewJobIsAnsweredWithItsQueuePlaceAndNoWebhookFields() {
    String key = http.createKey(stack.adminToken(), "free");
    String first = id(parked.postJson("/v1/jobs", SMALL, key));
    HttpResponse<String> second = parked.postJson("/v1/jobs", SMALL, key);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
    JsonObject job = new JsonObject(second.body());
    assertThat(second.headers().firstValue("Location")).hasValue("/v1/jobs/" + job.getString("id"));
    assertThat(job.getString("status")).isEqualTo("queued");
    assertThat(job.getLong("queue_position")).isNotNull().isNotNegative();
    assertThat(job.containsKey("eta_seconds")).isTrue();
    assertThat(job.fieldNames()).doesNotContain("webhook_url", "webhook_status");
    // A read counts exactly: the first job is ahead of the second.
    JsonObject read = new JsonObject(http.get("/v1/jobs/" + job.getString("id"), key).body());
    assertThat(read.getLong("queue_position")).isGreaterThanOrEqualTo(1L);
    JobLifecycleITSupport.cancel(http, first, key);
    JobLifecycleITSupport.cancel(http, job.getString("id"), key);
  }

  @Test
  void everyAcceptedJobIsMarkedAsPublishedWithoutTheClientWaitingForIt() throws Exception {
    String key = http.createKey(stack.adminToken(), "pro");
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sent.add(CompletableFuture.supplyAsync(() -> parked.postJson("/v1/jobs", SMALL, key)));
    }
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      ids.add(id(f.get(30, TimeUnit.SECONDS)));
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    long marked;
    while ((marked = marked(ids)) < ids.size()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(marked + " of " + ids.size() + " accepted jobs marked as published after " + WAIT);
      }
      LockSupport.parkNanos(50_000_000L);
    }
    ids.forEach(id -> JobLifecycleITSupport.cancel(http, id, key));
  }

  private static String id(HttpResponse<String> submitted) {
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    return new JsonObject(submitted.body()).getString("id");
  }

  private static long marked(List<String> ids) throws Exception {
    return await(db.pool().preparedQuery("SELECT count(*) AS n FROM jobs WHERE id = ANY($1) AND published_at IS NOT NULL")
        .execute(Tuple.of(ids.toArray(String[]::new)))).iterator().next().getLong("n");
  }

}
