package dev.vegart.gateway.keys;

import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code /admin/v1}: operator routes, behind {@code Authorization: Bearer ADMIN_TOKEN}. */
public final class AdminRoutes {
  private final ApiKeyStore keys;
  private final String adminToken;

  public AdminRoutes(ApiKeyStore keys, String adminToken) {
    this.keys = keys;
    this.adminToken = adminToken;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(this::requireAdmin);
    router.post("/keys").handler(this::createKey);
    return router;
  }

  private void requireAdmin(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : "";
    if (!KeyHasher.equalSecrets(token, adminToken)) {
      ctx.fail(ProblemException.unauthorized("admin routes need Authorization: Bearer ADMIN_TOKEN"));
      return;
    }
    ctx.next();
  }

  private void createKey(RoutingContext ctx) {
    JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    Object tier = body.getValue("tier", Tiers.FREE);
    Object name = body.getValue("name");
    if (!(tier instanceof String) || (name != null && !(name instanceof String))) {
      throw ProblemException.invalid(List.of(FieldError.of(tier instanceof String ? "name" : "tier", "must be a string")));
    }
    keys.create((String) tier, (String) name)
        .onSuccess(created -> ctx.response().setStatusCode(201)
            .putHeader("Content-Type", "application/json")
            .end(new JsonObject()
                .put("id", created.id())
                .put("key", created.key())
                .put("tier", created.tier())
                .put("name", created.name())
                .put("webhook_secret", created.webhookSecret())
                .encode()))
        .onFailure(ctx::fail);
  }
}
