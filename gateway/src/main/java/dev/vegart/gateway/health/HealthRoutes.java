package dev.vegart.gateway.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (every dependency it needs answers:
 * 200 with each check's state, or 503 naming those that failed).
 */
public final class HealthRoutes {
  /** A named readiness check. */
  public record Check(String name, Supplier<Future<?>> probe) {}

  private final List<Check> checks;

  public HealthRoutes(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "up").encode()));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    Map<String, Future<?>> probes = new LinkedHashMap<>();
    for (Check check : checks) {
      probes.put(check.name(), probe(check));
    }
    Future.join(List.copyOf(probes.values())).onComplete(all -> {
      JsonObject details = new JsonObject();
      boolean up = true;
      for (Map.Entry<String, Future<?>> e : probes.entrySet()) {
        boolean ok = e.getValue().succeeded();
        up &= ok;
        details.put(e.getKey(), ok ? "up" : "down: " + e.getValue().cause().getMessage());
      }
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", up ? "up" : "down").put("checks", details).encode());
    });
  }

  private static Future<?> probe(Check check) {
    try {
      return check.probe().get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
