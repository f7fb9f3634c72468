package dev.vegart.gateway.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.vegart.common.tracing.LogFields;
import dev.vegart.common.tracing.TraceContext;
import io.vertx.core.Context;
import java.util.Optional;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the trace of the HTTP request being handled ({@link GatewayTracing}) in the MDC of every log call made
 * on a Vert.x thread, so gateway lines written deep in a request's future chain carry its {@code trace_id}
 * although an event loop serves many requests at once (a thread-local MDC set at the start of a request
 * would leak into the others). Entries set by someone else ({@link LogFields} scopes) are left alone.
 * Registered in logback.xml as a {@code turboFilter}; it never filters anything out.
 */
public final class VertxTraceMdc extends TurboFilter {
  /**
   * The span id this filter last put in this thread's MDC: an entry with another value is someone else's (the
   * span, not the trace: a webhook attempt logs the job's trace id under a span of its own).
   */
  private static final ThreadLocal<String> SET = new ThreadLocal<>();

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (!Context.isOnVertxThread()) {
      return FilterReply.NEUTRAL;
    }
    String present = MDC.get(LogFields.TRACE_ID);
    if (present != null && !String.valueOf(MDC.get(LogFields.SPAN_ID)).equals(SET.get())) {
      return FilterReply.NEUTRAL;
    }
    Optional<TraceContext> trace = GatewayTracing.current();
    if (trace.isPresent()) {
      MDC.put(LogFields.TRACE_ID, trace.get().traceId());
      MDC.put(LogFields.SPAN_ID, trace.get().spanId());
      SET.set(trace.get().spanId());
    } else if (present != null) {
      MDC.remove(LogFields.TRACE_ID);
      MDC.remove(LogFields.SPAN_ID);
      SET.remove();
    }
    return FilterReply.NEUTRAL;
  }
}
