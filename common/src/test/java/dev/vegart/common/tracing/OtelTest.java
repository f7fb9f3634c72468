package dev.vegart.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import io.opentelemetry.api.trace.SpanKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK wiring against a real OTLP/HTTP receiver on loopback (the JDK's HTTP server). */
class OtelTest {
  private record Export(String path, String contentType, byte[] body) {}

  private HttpServer collector;
  private final List<Export> exports = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/", exchange -> {
      exports.add(new Export(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
          exchange.getRequestBody().readAllBytes()));
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
  }

  @AfterEach
  void stopCollector() {
    collector.stop(0);
  }

  private Otel exporter() {
    return Otel.create(OtelSettings.from(new Env(Map.of(OtelSettings.EXPORTER, "otlp",
        OtelSettings.ENDPOINT, "http://127.0.0.1:" + collector.getAddress().getPort(),
        "OTEL_SERVICE_NAME", "vegart-otel-test")), "vegart-unused"));
  }

  @Test
  void exportsTheSpanUnderTheReceivedParentWithTheIdsItPropagates() {
    TraceContext parent = TraceContext.newRoot();
    TracedSpan span;
    try (Otel otel = exporter()) {
      assertThat(otel.exporting()).isTrue();
      span = otel.span("POST /v1/jobs", SpanKind.SERVER, parent).attribute("vegart.job_id", "job_x1");
      span.end(null);
    }
    assertThat(span.context().traceId()).isEqualTo(parent.traceId());
    assertThat(span.context().spanId()).isNotEqualTo(parent.spanId());
    assertThat(exports).hasSize(1);
    Export export = exports.get(0);
    assertThat(export.path()).isEqualTo("/v1/traces");
    assertThat(export.contentType()).isEqualTo("application/x-protobuf");
    assertThat(contains(export.body(), hex(parent.traceId()))).as("trace id bytes").isTrue();
    assertThat(contains(export.body(), hex(span.context().spanId()))).as("the span's own id").isTrue();
    assertThat(contains(export.body(), hex(parent.spanId()))).as("the parent span id").isTrue();
    assertThat(contains(export.body(), "vegart-otel-test".getBytes(StandardCharsets.UTF_8))).as("service.name").isTrue();
    assertThat(contains(export.body(), "job_x1".getBytes(StandardCharsets.UTF_8))).isTrue();
  }

  @Test
  void aParentSentUnsampledIsPropagatedButNotExported() {
    TraceContext unsampled = TraceContext.parse("00-" + TraceContext.newRoot().traceId() + "-00f067aa0ba902b7-00").orElseThrow();
    TraceContext sampled = TraceContext.newRoot();
    TracedSpan quiet;
    try (Otel otel = exporter()) {
      quiet = otel.span("job", SpanKind.CONSUMER, unsampled);
      quiet.end(null);
      otel.span("job", SpanKind.CONSUMER, sampled).end("model_error");
    }
    assertThat(quiet.context().traceId()).isEqualTo(unsampled.traceId());
    assertThat(quiet.context().sampled()).isFalse();
    byte[] all = concat(exports);
    assertThat(contains(all, hex(sampled.traceId()))).isTrue();
    assertThat(contains(all, hex(unsampled.traceId()))).isFalse();
  }

  @Test
  void aSpanWithoutParentStartsATrace() {
    try (Otel otel = exporter()) {
      TraceContext root = otel.span("POST /v1/jobs", SpanKind.SERVER, null).context();
      assertThat(root.sampled()).isTrue();
      assertThat(TraceContext.parse(root.traceparent())).contains(root);
    }
  }

  @Test
  void switchedOffASpanIsANewSpanIdUnderTheParentAndNothingIsSent() {
    Otel otel = Otel.create(OtelSettings.from(new Env(Map.of(
        OtelSettings.ENDPOINT, "http://127.0.0.1:" + collector.getAddress().getPort())), "vegart-gateway"));
    assertThat(otel).isSameAs(Otel.off());
    TraceContext parent = TraceContext.newRoot();
    TracedSpan span = otel.span("job", SpanKind.CONSUMER, parent).attribute("a", 1);
    span.end(null);
    otel.close();
    assertThat(span.context().traceId()).isEqualTo(parent.traceId());
    assertThat(span.context().spanId()).isNotEqualTo(parent.spanId());
    assertThat(otel.span("job", SpanKind.CONSUMER, null).context().traceId()).isNotEqualTo(parent.traceId());
    assertThat(exports).isEmpty();
  }

  @Test
  void settingsDefaultToOffAndTheStandardEndpoint() {
    OtelSettings settings = OtelSettings.from(new Env(Map.of()), "vegart-worker");
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.tracesUrl()).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(settings.serviceName()).isEqualTo("vegart-worker");
    assertThat(OtelSettings.from(new Env(Map.of(OtelSettings.ENDPOINT, "https://otel.example:4318/")), "x").tracesUrl())
        .isEqualTo("https://otel.example:4318/v1/traces");
  }

  @Test
  void badSettingsNameTheVariable() {
    assertThatThrownBy(() -> OtelSettings.from(new Env(Map.of(OtelSettings.EXPORTER, "jaeger")), "x"))
        .isInstanceOf(ConfigException.class).hasMessageContaining(OtelSettings.EXPORTER);
    assertThatThrownBy(() -> OtelSettings.from(new Env(Map.of(OtelSettings.EXPORTER, "otlp", OtelSettings.ENDPOINT, "localhost:4318")), "x"))
        .isInstanceOf(ConfigException.class).hasMessageContaining(OtelSettings.ENDPOINT);
  }

  private static byte[] hex(String id) {
    return HexFormat.of().parseHex(id);
  }

  private static byte[] concat(List<Export> exports) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exports.forEach(e -> out.writeBytes(e.body()));
    return out.toByteArray();
  }

  /** Whether {@code needle} occurs in {@code haystack}: protobuf writes ids as raw bytes. */
  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
