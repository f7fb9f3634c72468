package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attempts against a real HTTP server on loopback; names resolve through a fixed table instead of DNS. */
class WebhookSenderTest {
  private Vertx vertx;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private volatile Consumer<HttpServerRequest> answer = r -> r.response().setStatusCode(204).end();
  private int port;

  record Received(String host, String path, MultiMap headers, String body) {}

  @BeforeEach
  void startReceiver() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new Received(req.authority() == null ? null : req.authority().toString(), req.uri(), req.headers(), body.toString()));
      answer.accept(req);
    }));
    port = await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private WebhookSender sender(String allowList, Duration timeout) {
    Map<String, String> names = Map.of("hooks.test", "127.0.0.1", "rebind.test", "127.0.0.1", "public.test", "93.184.215.14");
    HostResolver table = host -> {
      try {
        String ip = names.getOrDefault(host, host);
        return Future.succeededFuture(List.of(InetAddress.getByName(ip)));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    };
    return new WebhookSender(vertx, DestinationPolicy.parse(allowList), table, timeout, 2, Clock.systemUTC());
  }

  private AttemptResult send(WebhookSender sender, String url) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("webhook-id", "msg_1");
    return await(sender.send(url, headers, Buffer.buffer("{\"type\":\"job.succeeded\"}")));
  }

  @Test
  void postsTheBodyToTheCheckedAddressWithTheUrlsHost() throws Exception {
    AttemptResult r = send(sender("hooks.test", Duration.ofSeconds(20)), "http://hooks.test:" + port + "/in?a=1");
    assertThat(r.delivered()).as(String.valueOf(r.error())).isTrue();
    assertThat(r.httpStatus()).isEqualTo(204);
    Received got = received.poll();
    assertThat(got.host()).isEqualTo("hooks.test:" + port);
    assertThat(got.path()).isEqualTo("/in?a=1");
    assertThat(got.body()).isEqualTo("{\"type\":\"job.succeeded\"}");
    assertThat(got.headers().get("webhook-id")).isEqualTo("msg_1");
    assertThat(got.headers().get("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void doesNotFollowARedirectAndCountsItAsAFailure() throws Exception {
    answer = r -> r.response().setStatusCode(301).putHeader("Location", "http://127.0.0.1:" + port + "/elsewhere").end();
    AttemptResult r = send(sender("127.0.0.1", Duration.ofSeconds(20)), "http://127.0.0.1:" + port + "/in");
    assertThat(r.delivered()).isFalse();
    assertThat(r.httpStatus()).as(String.valueOf(r.error())).isEqualTo(301);
    assertThat(r.error()).contains("redirects are not followed").contains("/elsewhere");
    assertThat(received).extracting(Received::path).containsExactly("/in");
  }

  @Test
  void refusesAtConnectTimeANameThatNowResolvesToLoopback() throws Exception {
    AttemptResult r = send(sender("127.0.0.1", Duration.ofSeconds(20)), "https://rebind.test:" + port + "/in");
    assertThat(r.delivered()).isFalse();
    assertThat(r.httpStatus()).isNull();
    assertThat(r.error()).contains("refused").contains("127.0.0.1").contains("loopback");
    assertThat(received).isEmpty();
  }

  @Test
  void refusesPlainHttpToAHostThatIsNotAllowListed() throws Exception {
    AttemptResult r = send(sender("", Duration.ofSeconds(20)), "http://public.test/in");
    assertThat(r.error()).contains("https");
    assertThat(received).isEmpty();
  }

  @Test
  void givesUpOnAReceiverThatDoesNotAnswerInTime() throws Exception {
    answer = r -> { };
    long start = System.nanoTime();
    AttemptResult r = send(sender("127.0.0.1", Duration.ofSeconds(1)), "http://127.0.0.1:" + port + "/slow");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.error()).contains("timed out");
    assertThat(r.httpStatus()).isNull();
    assertThat(ms).isBetween(900L, 10_000L);
  }

  @Test
  void readsRetryAfterOnServiceUnavailable() throws Exception {
    answer = r -> r.response().setStatusCode(503).putHeader("Retry-After", "42").end("busy");
    AttemptResult r = send(sender("127.0.0.1", Duration.ofSeconds(20)), "http://127.0.0.1:" + port + "/in");
    assertThat(r.httpStatus()).isEqualTo(503);
    assertThat(r.retryAfter()).hasValue(Duration.ofSeconds(42));
  }

  @Test
  void reportsAReceiverThatIsDown() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    AttemptResult r = send(sender("127.0.0.1", Duration.ofSeconds(20)), "http://127.0.0.1:" + closed + "/in");
    assertThat(r.httpStatus()).isNull();
    assertThat(r.error()).isNotBlank();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
