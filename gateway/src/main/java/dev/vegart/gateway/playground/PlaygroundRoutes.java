package dev.vegart.gateway.playground;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * {@code GET /}: the playground page and its assets, served from the classpath folder {@code webroot} (no CDN,
 * nothing fetched from elsewhere; the content security policy makes the browser refuse anything else, except
 * the generated images, which come from the object store's presigned URLs). No authentication: the page asks for
 * the API key and sends it with each API call.
 */
public final class PlaygroundRoutes {
  static final String POLICY = "default-src 'self'; img-src 'self' data: blob: http: https:; connect-src 'self'; "
      + "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** Mount after every API route: paths that are no file fall through to the router's 404. */
  public void mount(Router router) {
    StaticHandler files = StaticHandler.create("webroot").setIndexPage("index.html").setMaxAgeSeconds(300);
    router.get("/*").handler(PlaygroundRoutes::headers).handler(files);
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
