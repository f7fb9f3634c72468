package dev.vegart.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * A span opened by {@link Otel#span}: its {@link #context()} is what the component propagates and logs; the
 * span is exported once {@link #end} is called (a span never ended is never exported). When export is off,
 * attributes and {@code end} do nothing. Thread-safe: a span may end on another thread than the one that
 * opened it.
 */
public final class TracedSpan {
  private final Span span;
  private final TraceContext context;

  TracedSpan(Span span, TraceContext context) {
    this.span = span;
    this.context = context;
  }

  /** The span's position in the trace: its trace id and its own span id. */
  public TraceContext context() {
    return context;
  }

  /** Adds an attribute (skipped when {@code value} is null). Never pass prompts, API keys or secrets. */
  public TracedSpan attribute(String key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
    return this;
  }

  public TracedSpan attribute(String key, long value) {
    span.setAttribute(key, value);
    return this;
  }

  /** Ends the span; {@code error} (nullable) marks it failed with that description. */
  public void end(String error) {
    if (error != null) {
      span.setStatus(StatusCode.ERROR, error);
    }
    span.end();
  }
}
