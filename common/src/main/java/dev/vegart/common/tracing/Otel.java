package dev.vegart.common.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;

/**
 * One component's OpenTelemetry span export (the gateway and each worker own one, built from
 * {@link OtelSettings}). {@link #span} opens a span under a propagated {@link TraceContext}: the span's ids are
 * the ones the component sends on, so the exported spans and the {@code traceparent} values in HTTP and Kafka
 * headers and in log lines are the same trace. Switched off (the default), nothing is recorded or sent and a
 * span is only a new span id under the parent. Spans are exported in batches over OTLP/HTTP (protobuf, the
 * JDK's HTTP client) by the SDK's own thread; an unreachable collector costs dropped spans, never a request.
 * Thread-safe; {@link #close()} flushes what is buffered.
 */
public final class Otel implements AutoCloseable {
  private static final Otel OFF = new Otel(null);
  private static final String SCOPE = "dev.vegart";

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Otel(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get(SCOPE);
  }

  /** No export. */
  public static Otel off() {
    return OFF;
  }

  /** Starts exporting as {@code settings} say, or {@link #off()} when they switch export off. */
  public static Otel create(OtelSettings settings) {
    if (!settings.enabled()) {
      return OFF;
    }
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(settings.tracesUrl()).build();
    Resource resource = Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), settings.serviceName())));
    return new Otel(SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(settings.scheduleDelay()).build())
        .build());
  }

  public boolean exporting() {
    return provider != null;
  }

  /**
   * Opens a span of {@code kind} whose parent is {@code parent} (a received {@code traceparent}), or a new trace
   * when {@code parent} is null. The span's {@link TracedSpan#context()} keeps the parent's sampled flag; the
   * SDK samples by the parent (a parent sent unsampled is propagated, not exported).
   */
  public TracedSpan span(String name, SpanKind kind, TraceContext parent) {
    if (provider == null) {
      return new TracedSpan(Span.getInvalid(), parent == null ? TraceContext.newRoot() : parent.child());
    }
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
    if (parent == null) {
      builder.setNoParent();
    } else {
      SpanContext remote = SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(),
          parent.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
      builder.setParent(Context.root().with(Span.wrap(remote)));
    }
    Span span = builder.startSpan();
    SpanContext own = span.getSpanContext();
    return new TracedSpan(span, new TraceContext(own.getTraceId(), own.getSpanId(), parent == null || parent.sampled()));
  }

  /** Exports what is buffered (waiting up to 10 s) and stops the export thread. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
