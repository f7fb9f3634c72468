package dev.vegart.gateway;

import dev.vegart.gateway.health.HealthRoutes;
import dev.vegart.gateway.http.Problems;
import dev.vegart.gateway.jobs.JobRoutes;
import dev.vegart.gateway.keys.AdminRoutes;
import dev.vegart.gateway.keys.Authentication;
import dev.vegart.gateway.observability.GatewayObservability;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The gateway's HTTP server: one router, a body limit first, a sub-router per resource, one failure handler. */
public final class HttpVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final Authentication authentication;
  private final JobRoutes jobs;
  private final AdminRoutes admin;
  private final HealthRoutes health;
  private HttpServer server;

  public HttpVerticle(GatewayConfig config, Authentication authentication, JobRoutes jobs, AdminRoutes admin, HealthRoutes health) {
    this.config = config;
    this.authentication = authentication;
    this.jobs = jobs;
    this.admin = admin;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    GatewayObservability.of(vertx).mount(router);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    health.mount(router);
    Router v1 = Router.router(vertx);
    v1.route().handler(authentication::handle);
    jobs.mount(v1);
    router.route("/v1/*").subRouter(v1);
    router.route("/admin/v1/*").subRouter(admin.router(vertx));
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(Problems::handle);
    return vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(16 * 1024).setMaxInitialLineLength(8 * 1024))
        .requestHandler(router)
        .listen(config.httpPort())
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
