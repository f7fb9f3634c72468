package dev.vegart.gateway;

import dev.vegart.common.tracing.Otel;
import dev.vegart.gateway.health.HealthRoutes;
import dev.vegart.gateway.http.InvalidRequests;
import dev.vegart.gateway.http.Problems;
import dev.vegart.gateway.http.InputGuards;
import dev.vegart.gateway.jobs.JobRoutes;
import dev.vegart.gateway.keys.AdminRoutes;
import dev.vegart.gateway.keys.Authentication;
import dev.vegart.gateway.live.JobEventStream;
import dev.vegart.gateway.observability.GatewayObservability;
import dev.vegart.gateway.openapi.OpenApiRoutes;
import dev.vegart.gateway.playground.PlaygroundRoutes;
import dev.vegart.gateway.quota.UsageRoutes;
import dev.vegart.gateway.segmind.SegmindRoutes;
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
  private final UsageRoutes usage;
  private final SegmindRoutes segmind;
  private final OpenApiRoutes openApi;
  private final JobEventStream jobEvents;
  private final PlaygroundRoutes playground;
  private final Otel otel;
  private HttpServer server;
  private volatile Router router;

  public HttpVerticle(GatewayConfig config, Authentication authentication, JobRoutes jobs, AdminRoutes admin, HealthRoutes health,
      UsageRoutes usage, SegmindRoutes segmind, OpenApiRoutes openApi,
      JobEventStream jobEvents, PlaygroundRoutes playground, Otel otel) {
    this.config = config;
    this.authentication = authentication;
    this.jobs = jobs;
    this.admin = admin;
    this.health = health;
    this.usage = usage;
    this.segmind = segmind;
    this.openApi = openApi;
    this.jobEvents = jobEvents;
    this.playground = playground;
    this.otel = otel;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    this.router = router;
    GatewayObservability.of(vertx).mount(router, otel);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.route().handler(InputGuards::urlWithoutNul).handler(InputGuards::utf8Body);
    health.mount(router);
    openApi.mount(router);
    Router v1 = Router.router(vertx);
    v1.route().handler(authentication::handle);
    jobs.mount(v1);
    jobEvents.mount(v1);
    usage.mount(v1);
    segmind.mount(v1);
    router.route("/v1/*").subRouter(v1);
    router.route("/admin/v1/*").subRouter(admin.router(vertx));
    playground.mount(router);
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(Problems::handle);
    // Failures outside any route (an undecodable path) get the same problem+json.
    router.errorHandler(400, Problems::handle);
    router.errorHandler(500, Problems::handle);
    // No HTTP/2 over clear text: with h2c, a JDK HttpClient's upgrade (its default for http:// GETs) stalled for
    // good about once in seven fresh connections here, its request timeout never firing (Http2UpgradeIT). A
    // request that asks to upgrade is answered over HTTP/1.1; HTTP/2 belongs on the TLS ingress in front.
    return vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(16 * 1024).setMaxInitialLineLength(8 * 1024)
            .setHttp2ClearTextEnabled(false))
        .invalidRequestHandler(InvalidRequests::handle)
        .requestHandler(InvalidRequests.guard(router))
        .listen(config.httpPort())
        .onSuccess(s -> server = s);
  }

  /** The routes as mounted, once started (the contract test holds each against /openapi.json). */
  public Router router() {
    return router;
  }

  public int actualPort() {
    return server.actualPort();
  }
}
