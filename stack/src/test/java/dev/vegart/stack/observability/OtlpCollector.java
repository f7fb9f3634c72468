package dev.vegart.stack.observability;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A real OTLP/HTTP receiver on loopback for the tests (the JDK's HTTP server): records every export request
 * to {@code /v1/traces} and answers 200 with an empty protobuf response, as a collector does. The bodies are
 * not decoded (no protobuf classes on the test classpath); protobuf writes trace and span ids as their raw
 * bytes and strings as UTF-8, so a test looks for those.
 */
final class OtlpCollector implements AutoCloseable {
  /** One export request: its path, content type and body. */
  record Export(String path, String contentType, byte[] body) {
    boolean hasId(String hexId) {
      return indexOf(body, HexFormat.of().parseHex(hexId)) >= 0;
    }

    boolean hasText(String text) {
      return indexOf(body, text.getBytes(StandardCharsets.UTF_8)) >= 0;
    }
  }

  private final HttpServer server;
  private final List<Export> exports = new CopyOnWriteArrayList<>();

  OtlpCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    server.createContext("/", exchange -> {
      exports.add(new Export(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
          exchange.getRequestBody().readAllBytes()));
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  /** The base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Export> exports() {
    return new ArrayList<>(exports);
  }

  /** Waits for an export that {@code matches}, or fails naming what arrived. */
  Export await(Predicate<Export> matches, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Export e : exports) {
        if (matches.test(e)) {
          return e;
        }
      }
      LockSupport.parkNanos(50_000_000L);
    }
    throw new AssertionError("no OTLP export with " + what + " within " + timeout + "; " + exports.size() + " arrived");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
