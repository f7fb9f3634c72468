package dev.vegart.gateway.quota;

import dev.vegart.gateway.keys.ApiKeyStore;
import dev.vegart.gateway.keys.Authentication;
import dev.vegart.gateway.http.ProblemException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** {@code GET /v1/usage}: the caller's tier, limit, used, remaining and reset time (a fresh read). */
public final class UsageRoutes {
  private final ApiKeyStore keys;

  public UsageRoutes(ApiKeyStore keys) {
    this.keys = keys;
  }

  public void mount(Router v1) {
    v1.get("/usage").handler(this::usage);
  }

  private void usage(RoutingContext ctx) {
    String keyId = Authentication.caller(ctx).id();
    keys.quota(keyId, Instant.now())
        .map(found -> found.orElseThrow(() -> ProblemException.unauthorized("the API key is unknown or revoked")))
        .onSuccess(quota -> {
          RateLimitHeaders.update(ctx, quota.used());
          ctx.response().putHeader("Content-Type", "application/json").end(quota.toJson().encode());
        })
        .onFailure(ctx::fail);
  }
}
