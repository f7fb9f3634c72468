package dev.vegart.gateway.quota;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * Writes the IETF draft rate-limit headers on every {@code /v1} response of an authenticated caller, from the
 * quota as last known in that request (read at authentication, updated by a reservation):
 * {@code RateLimit-Policy: "daily";q=100;w=86400} and {@code RateLimit: "daily";r=37;t=5400}. Unlimited keys
 * get none. Handlers run on the request's event loop; no locking needed.
 */
public final class RateLimitHeaders {
  private static final String KEY = "vegart.quota";

  private RateLimitHeaders() {}

  /** Remembers {@code quota} for this request and writes the headers when the response's headers go out. */
  public static void install(RoutingContext ctx, Quota quota) {
    ctx.put(KEY, quota);
    ctx.addHeadersEndHandler(v -> {
      Quota latest = ctx.get(KEY);
      if (latest != null && !latest.unlimited()) {
        write(ctx.response().headers(), latest, Instant.now());
      }
    });
  }

  /** Records a newer count of used images (after a reservation, or as seen by a refused one). */
  public static void update(RoutingContext ctx, int used) {
    Quota quota = ctx.get(KEY);
    if (quota != null) {
      ctx.put(KEY, quota.withUsed(used));
    }
  }

  public static Quota current(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  static void write(MultiMap headers, Quota quota, Instant now) {
    headers.set("RateLimit-Policy", "\"daily\";q=" + quota.key().dailyLimit() + ";w=86400");
    headers.set("RateLimit", "\"daily\";r=" + quota.remaining() + ";t=" + quota.secondsToReset(now));
  }
}
