package dev.vegart.gateway.observability;

import dev.vegart.common.tracing.LogFields;
import dev.vegart.common.tracing.Otel;
import dev.vegart.common.tracing.TraceContext;
import dev.vegart.common.tracing.TracedSpan;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Authentication;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request: takes the W3C {@code traceparent} (or starts a trace), makes it the
 * request's trace (see {@link GatewayTracing}), answers it in {@code traceresponse}, and once the response
 * is sent writes one access log line with trace id, key id and job id in the MDC and counts job submissions
 * by outcome. A job submission is an OpenTelemetry server span (exported when {@link Otel} is switched on) whose
 * ids are the request's trace. Runs on the event loop; never blocks.
 */
final class RequestObserver {
  private static final Logger LOG = LoggerFactory.getLogger("vegart.access");
  /** The POST paths that submit a job. */
  static final Set<String> SUBMIT_PATHS = Set.of("/v1/jobs", "/v1/segmind-vega-rt-v1");

  private final GatewayMetrics metrics;
  private final Otel otel;

  RequestObserver(GatewayMetrics metrics, Otel otel) {
    this.metrics = metrics;
    this.otel = otel;
  }

  void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    TraceContext received = TraceContext.parse(ctx.request().getHeader(TraceContext.HEADER)).orElse(null);
    boolean submit = ctx.request().method() == HttpMethod.POST && SUBMIT_PATHS.contains(path(ctx));
    TracedSpan span = submit
        ? otel.span("POST " + path(ctx), SpanKind.SERVER, received).attribute("http.request.method", "POST")
            .attribute("http.route", path(ctx))
        : null;
    TraceContext trace = span != null ? span.context() : received != null ? received.child() : TraceContext.newRoot();
    GatewayTracing.set(ctx.vertx().getOrCreateContext(), trace);
    ctx.response().putHeader("traceresponse", trace.traceparent());
    if (submit) {
      metrics.submitted();
    }
    ctx.addEndHandler(done -> finished(ctx, trace, started, span));
    ctx.next();
  }

  /** {@code span}: the submission's span, null for any other request. */
  private void finished(RoutingContext ctx, TraceContext trace, long started, TracedSpan span) {
    int status = ctx.response().getStatusCode();
    ApiKey key = Authentication.caller(ctx);
    boolean submit = span != null;
    if (submit) {
      span.attribute("http.response.status_code", status)
          .attribute("vegart.key_id", key == null ? null : key.id())
          .attribute("vegart.job_id", jobId(ctx.response().headers().get("Location")))
          .end(status >= 500 ? "HTTP " + status : null);
      if (status >= 200 && status < 300) {
        metrics.accepted(key == null ? null : key.tier());
      } else {
        metrics.rejected(reason(status, ctx.failure()));
      }
    }
    Map<String, String> fields = new HashMap<>();
    fields.put(LogFields.TRACE_ID, trace.traceId());
    fields.put(LogFields.SPAN_ID, trace.spanId());
    fields.put(LogFields.KEY_ID, key == null ? null : key.id());
    fields.put(LogFields.JOB_ID, jobId(ctx.response().headers().get("Location")));
    try (LogFields.Scope scope = LogFields.with(fields)) {
      LOG.info("{} {} {} {} ms", ctx.request().method(), shorten(path(ctx)), status,
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  /** The rejection reason of a refused submission, from its status and problem type. */
  static String reason(int status, Throwable failure) {
    String type = failure instanceof ProblemException p ? p.type() : "";
    if (status == 401 || status == 403) {
      return "auth";
    }
    if (status == 429) {
      return "quota";
    }
    if (status == 503 && type.equals("overloaded")) {
      return "overload";
    }
    return status >= 400 && status < 500 ? "validation" : "unavailable";
  }

  /** The normalized path, or the raw one when its percent-encoding is invalid (normalizing it would throw). */
  private static String path(RoutingContext ctx) {
    try {
      return ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      return ctx.request().path();
    }
  }

  private static String jobId(String location) {
    if (location == null || !location.startsWith("/v1/jobs/")) {
      return null;
    }
    return shorten(location.substring("/v1/jobs/".length()));
  }

  private static String shorten(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
