package dev.vegart.gateway.observability;

import dev.vegart.common.tracing.TraceContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Optional;

/**
 * The trace of the HTTP request being handled, kept in the local data of the request's (duplicated) Vert.x
 * context, so code deep in the request's future chain (the Kafka hand-over) finds it without it being passed
 * through every signature. Outside a request (timers such as the outbox relay) there is none.
 */
public final class GatewayTracing {
  private static final Object KEY = TraceContext.class;

  private GatewayTracing() {}

  static void set(Context context, TraceContext trace) {
    // Local (not shared) context data: each request runs on its own duplicated context.
    ((ContextInternal) context).localContextData().put(KEY, trace);
  }

  /** The trace of the request the current thread works for, if any. */
  public static Optional<TraceContext> current() {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Optional.empty();
    }
    Object trace = ((ContextInternal) context).localContextData().get(KEY);
    return trace instanceof TraceContext t ? Optional.of(t) : Optional.empty();
  }
}
