package dev.vegart.worker.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/** The worker's small HTTP server: {@code /metrics} (Prometheus), {@code /health/live}, {@code /health/ready}. */
final class WorkerHttp {
  private WorkerHttp() {}

  static Future<HttpServer> start(Vertx vertx, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "up").encode()));
    router.get("/health/ready").handler(ctx -> {
      boolean up = ready.getAsBoolean();
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", up ? "up" : "down").encode());
    });
    return vertx.createHttpServer().requestHandler(router).listen(port);
  }
}
