package dev.vegart.gateway.webhooks;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes one webhook attempt: checks the destination again ({@link DestinationPolicy}) on the addresses the name
 * resolves to now, connects to exactly the address it checked (so a DNS answer that changes between check and
 * connect cannot redirect it), POSTs the body, and reports the status without following redirects. The whole
 * attempt, lookup included, is bounded by one timeout. Non-blocking; call from a Vert.x context.
 */
public final class WebhookSender implements AutoCloseable {
  static final int MAX_RESPONSE_BYTES = 64 * 1024;
  /** How the error of an attempt the destination policy stopped begins. */
  static final String REFUSED = "refused: ";
  private static final String USER_AGENT = "vegart-webhooks/1";

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final DestinationPolicy policy;
  private final HostResolver resolver;
  private final Duration timeout;
  private final Clock clock;

  public WebhookSender(Vertx vertx, DestinationPolicy policy, HostResolver resolver, Duration timeout, int maxPerHost, Clock clock) {
    this.vertx = vertx;
    this.policy = policy;
    this.resolver = resolver;
    this.timeout = timeout;
    this.clock = clock;
    // forceSni: the connection targets an IP address, TLS must still name (and verify) the URL's host.
    this.client = vertx.createHttpClient(new HttpClientOptions().setForceSni(true).setVerifyHost(true)
            .setKeepAliveTimeout(30).setMaxRedirects(0),
        new PoolOptions().setHttp1MaxSize(maxPerHost).setHttp2MaxSize(1));
  }

  /** POSTs {@code body} with {@code headers} to {@code url}; never fails, every problem is in the result. */
  public Future<AttemptResult> send(String url, MultiMap headers, Buffer body) {
    Instant startedAt = clock.instant();
    long start = System.nanoTime();
    Promise<Outcome> outcome = Promise.promise();
    AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (outcome.tryComplete(Outcome.failure("timed out after " + timeout.toMillis() + " ms"))) {
        HttpClientRequest r = request.get();
        if (r != null) {
          r.reset();
        }
      }
    });
    attempt(URI.create(url), headers, body, request).onComplete(ar ->
        outcome.tryComplete(ar.succeeded() ? ar.result() : Outcome.failure(describe(ar.cause()))));
    return outcome.future().map(o -> {
      vertx.cancelTimer(timer);
      long ms = (System.nanoTime() - start) / 1_000_000;
      return new AttemptResult(startedAt, ms, o.status(), o.error(), o.retryAfter());
    });
  }

  private record Outcome(Integer status, String error, Optional<Duration> retryAfter) {
    static Outcome failure(String error) {
      return new Outcome(null, error, Optional.empty());
    }
  }

  private Future<Outcome> attempt(URI url, MultiMap headers, Buffer body, AtomicReference<HttpClientRequest> request) {
    Optional<String> refused = policy.refuseUrl(url);
    if (refused.isPresent()) {
      return Future.succeededFuture(Outcome.failure(REFUSED + refused.get()));
    }
    String host = url.getHost();
    return resolver.resolve(host)
        .recover(e -> Future.succeededFuture(List.of()))
        .compose(addresses -> {
          Optional<String> refusal = policy.refuseAddresses(host, addresses);
          if (refusal.isPresent()) {
            return Future.succeededFuture(Outcome.failure(REFUSED + refusal.get()));
          }
          return post(url, addresses.get(0), headers, body, request);
        });
  }

  private Future<Outcome> post(URI url, InetAddress address, MultiMap headers, Buffer body,
      AtomicReference<HttpClientRequest> request) {
    boolean https = "https".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(DestinationPolicy.bare(url.getHost()))
        .setPort(port)
        .setSsl(https)
        .setURI(path)
        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
        .setFollowRedirects(false)
        .setConnectTimeout(timeout.toMillis())
        .setIdleTimeout(timeout.toMillis())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers).set("User-Agent", USER_AGENT)
            .set("Content-Type", "application/json"));
    return client.request(options)
        .compose(req -> {
          request.set(req);
          return req.send(body);
        })
        .map(this::outcome);
  }

  private Outcome outcome(HttpClientResponse response) {
    drain(response);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Outcome(status, null, Optional.empty());
    }
    Optional<Duration> retryAfter = status == 429 || status == 503
        ? RetryAfter.parse(response.getHeader("Retry-After"), clock.instant())
        : Optional.empty();
    String error = status >= 300 && status < 400
        ? "HTTP " + status + ": redirects are not followed (Location: " + clip(response.getHeader("Location")) + ")"
        : status == 410 ? "HTTP 410 Gone: the endpoint is disabled for this key" : "HTTP " + status;
    return new Outcome(status, error, retryAfter);
  }

  /** Reads and discards the body so the connection can be reused, resetting the stream if it grows too large. */
  private static void drain(HttpClientResponse response) {
    long[] received = {0};
    response.exceptionHandler(e -> { });
    response.handler(chunk -> {
      received[0] += chunk.length();
      if (received[0] > MAX_RESPONSE_BYTES) {
        response.request().reset();
      }
    });
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return clip(message);
  }

  private static String clip(String text) {
    if (text == null) {
      return "none";
    }
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  @Override
  public void close() {
    client.close();
  }
}
