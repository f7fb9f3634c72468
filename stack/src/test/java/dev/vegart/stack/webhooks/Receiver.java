package dev.vegart.stack.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A real HTTP webhook receiver on loopback for the tests: records every request and answers what the test's
 * script says (a function of the request's number, from 1).
 */
final class Receiver implements AutoCloseable {
  /** One request as received. */
  record Received(int number, String path, String id, String timestamp, String signature, String body, Instant at,
      String traceparent) {}

  /** What to answer: a status and extra headers. */
  record Answer(int status, Map<String, String> headers) {
    static Answer of(int status) {
      return new Answer(status, Map.of());
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Answer> script;

  Receiver(Function<Received, Answer> script) throws IOException {
    this.script = script;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var h = exchange.getRequestHeaders();
    Received r = new Received(received.size() + 1, exchange.getRequestURI().toString(), h.getFirst("webhook-id"),
        h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"), body, Instant.now(), h.getFirst("traceparent"));
    received.add(r);
    Answer answer = script.apply(r);
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(answer.status(), -1);
    exchange.close();
  }

  void answer(Function<Received, Answer> next) {
    this.script = next;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  /** Waits until at least {@code count} requests arrived, or fails naming what did. */
  List<Received> await(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " webhook requests within " + timeout + ", got " + received);
      }
      LockSupport.parkNanos(50_000_000L);
    }
    return received();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
