package dev.vegart.stack.webhooks;

import static dev.vegart.stack.StackDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.ids.Ids;
import dev.vegart.gateway.webhooks.Claim;
import dev.vegart.gateway.webhooks.WebhookStore;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import dev.vegart.stack.StackDatabase;
import dev.vegart.stack.webhooks.Receiver.Answer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared gateway's delivery loop against rows placed in PostgreSQL by the test: leases keep a claimed
 * delivery from being sent twice at once, and a slow host holds only its own slots
 * ({@code VEGART_WEBHOOK_MAX_PER_HOST} = 4). The rows stand for messages of jobs that do not exist, so their
 * payload's {@code data} is just the job id.
 */
class WebhookDispatchIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
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
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void aDeliveryClaimedByAGatewayThatDiedIsSentByAnotherOnlyOnceTheLeaseEnds() throws Exception {
    try (Receiver receiver = new Receiver(r -> Answer.of(200))) {
      stack.gateway().webhookDelivery().pause();
      String id;
      Instant claimedAt;
      try {
        id = insert(receiver.url("/lease"), "127.0.0.1", Duration.ZERO);
        WebhookStore store = new WebhookStore(pool);
        claimedAt = Instant.now();
        List<Claim> dead = await(store.claim("gw-dead", 100, List.of(), 100, Duration.ofSeconds(3)));
        List<Claim> other = await(store.claim("gw-other", 100, List.of(), 100, Duration.ofSeconds(3)));
        assertThat(dead).extracting(Claim::id).contains(id);
        assertThat(other).extracting(Claim::id).doesNotContain(id);
      } finally {
        stack.gateway().webhookDelivery().resume();
      }
      Receiver.Received got = receiver.await(1, WAIT).get(0);
      assertThat(got.id()).isEqualTo(id);
      assertThat(Duration.between(claimedAt, got.at())).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
      String sql = "SELECT gateway, http_status FROM webhook_attempts WHERE delivery_id = $1";
      awaitCondition(() -> !rows(sql, id).isEmpty(), Duration.ofSeconds(10));
      List<Row> attempts = rows(sql, id);
      assertThat(attempts).hasSize(1);
      assertThat(attempts.get(0).getString("gateway")).isEqualTo(stack.gateway().webhookDelivery().owner());
      assertThat(attempts.get(0).getInteger("http_status")).isEqualTo(200);
    }
  }

  @Test
  void aSlowHostHoldsOnlyItsOwnSlotsWhileAnotherHostIsServed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowNow = new AtomicInteger();
    AtomicInteger slowMax = new AtomicInteger();
    List<Integer> slowWhenFastArrived = new ArrayList<>();
    // The slow receiver holds every request until the test releases it (at most 4 s, inside the 5 s timeout).
    try (Receiver slow = new Receiver(r -> {
          slowMax.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
          try {
            release.await(4, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          slowNow.decrementAndGet();
          return Answer.of(200);
        });
        Receiver fast = new Receiver(r -> {
          slowWhenFastArrived.add(slowNow.get());
          return Answer.of(200);
        })) {
      stack.gateway().webhookDelivery().pause();
      try {
        for (int i = 0; i < 10; i++) {
          insert(slow.url("/slow").replace("127.0.0.1", "localhost"), "localhost", Duration.ofMinutes(1));
        }
        insert(fast.url("/fast"), "127.0.0.1", Duration.ZERO);
      } finally {
        stack.gateway().webhookDelivery().resume();
      }
      fast.await(1, WAIT);
      assertThat(slowWhenFastArrived.get(0)).as("slow attempts in flight when the fast host was served").isBetween(0, 4);
      // Six more slow deliveries are due: for a second (five polls) they must stay waiting for a slot.
      awaitCondition(() -> slowNow.get() == 4, Duration.ofSeconds(5));
      long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < until) {
        assertThat(slowNow.get()).as("attempts in flight to the slow host").isLessThanOrEqualTo(4);
        LockSupport.parkNanos(20_000_000L);
      }
      release.countDown();
      slow.await(10, WAIT);
      assertThat(slowMax.get()).as("most attempts in flight to the slow host at once").isEqualTo(4);
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within " + timeout).isLessThan(deadline);
      LockSupport.parkNanos(20_000_000L);
    }
  }

  /** A due delivery row, as the status-change trigger writes it, {@code age} overdue. */
  private static String insert(String url, String host, Duration age) throws Exception {
    String id = "msg_it_" + Ids.secret(10);
    await(pool.preparedQuery("INSERT INTO webhook_deliveries (id, job_id, key_id, event_type, event_at, url, host, next_attempt_at) "
            + "VALUES ($1, $2, $3, 'job.succeeded', now(), $4, $5, now() - make_interval(secs => $6))")
        .execute(Tuple.of(id, "job_missing_" + Ids.secret(5), key.id(), url, host, (double) age.toSeconds())));
    return id;
  }

  private static List<Row> rows(String sql, String arg) {
    List<Row> out = new ArrayList<>();
    try {
      await(pool.preparedQuery(sql).execute(Tuple.of(arg))).forEach(out::add);
    } catch (Exception e) {
      throw new AssertionError(sql + " failed", e);
    }
    return out;
  }
}
