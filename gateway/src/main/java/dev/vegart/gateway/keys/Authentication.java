package dev.vegart.gateway.keys;

import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.quota.RateLimitHeaders;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Reads the caller's credentials: {@code x-api-key: KEY} or {@code Authorization: Bearer KEY}. */
public final class Authentication {
  public static final String API_KEY = "apiKey";
  private final ApiKeyStore keys;

  public Authentication(ApiKeyStore keys) {
    this.keys = keys;
  }

  /**
   * Route handler: authenticates, stores the {@link ApiKey} in the context, arranges the rate-limit headers
   * on whatever response follows, and continues; or fails with 401 (503 when the database is unreachable).
   */
  public void handle(RoutingContext ctx) {
    presentedKey(ctx)
        .compose(presented -> keys.authenticateWithQuota(presented, java.time.Instant.now()))
        .onSuccess(quota -> {
          ctx.put(API_KEY, quota.key());
          RateLimitHeaders.install(ctx, quota);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  public static ApiKey caller(RoutingContext ctx) {
    return ctx.get(API_KEY);
  }

  private static Future<String> presentedKey(RoutingContext ctx) {
    String header = ctx.request().getHeader("x-api-key");
    if (header == null) {
      String auth = ctx.request().getHeader("Authorization");
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        header = auth.substring(7).trim();
      }
    }
    if (header == null || header.isBlank()) {
      return Future.failedFuture(ProblemException.unauthorized("send the API key in the x-api-key header or as Authorization: Bearer KEY"));
    }
    if (header.length() > 200) {
      return Future.failedFuture(ProblemException.unauthorized("the API key is unknown or revoked"));
    }
    return Future.succeededFuture(header);
  }
}
