package dev.vegart.gateway.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.jobs.SubmitRequest;
import dev.vegart.gateway.quota.Quota;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /admin/v1}: operator routes, behind {@code Authorization: Bearer ADMIN_TOKEN}: create a key (the key and
 * its webhook secret are shown once), list keys, revoke one, read one's usage.
 */
public final class AdminRoutes {
  private static final Set<String> CREATE_FIELDS = Set.of("tier", "name");
  private static final int MAX_PAGE = 1000;
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
    router.get("/keys").handler(this::listKeys);
    router.delete("/keys/:id").handler(this::revokeKey);
    router.get("/keys/:id/usage").handler(this::usage);
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
    String raw = ctx.body().asString();
    ObjectNode body = raw == null || raw.isBlank() ? null : SubmitRequest.readObject(raw);
    List<FieldError> errors = new ArrayList<>();
    String tier = Tiers.FREE;
    String name = null;
    if (body != null) {
      for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!CREATE_FIELDS.contains(field)) {
          errors.add(new FieldError(field, "unknown field", List.of("name", "tier")));
        }
      }
      tier = text(body.get("tier"), "tier", Tiers.FREE, 32, errors);
      name = text(body.get("name"), "name", null, 200, errors);
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    keys.create(tier, name)
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

  private static String text(JsonNode node, String field, String fallback, int maxChars, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual() || node.textValue().isEmpty() || node.textValue().length() > maxChars
        || node.textValue().indexOf('\0') >= 0) {
      errors.add(FieldError.of(field, "must be a string of 1 to " + maxChars + " characters, without NUL"));
      return fallback;
    }
    return node.textValue();
  }

  private void listKeys(RoutingContext ctx) {
    int limit = pageSize(ctx.queryParams().get("limit"));
    String after = ctx.queryParams().get("after");
    keys.list(after, limit, Instant.now())
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.forEach(k -> items.add(new JsonObject()
              .put("id", k.id())
              .put("tier", k.tier())
              .put("name", k.name())
              .put("created_at", k.createdAt().toString())
              .put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString())
              .put("used_today", k.usedToday())));
          JsonObject out = new JsonObject().put("keys", items);
          out.put("next_after", page.size() == limit ? page.get(page.size() - 1).id() : null);
          ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
        })
        .onFailure(ctx::fail);
  }

  private static int pageSize(String text) {
    if (text == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ProblemException.invalid(List.of(FieldError.of("limit", "must be an integer from 1 to " + MAX_PAGE)));
  }

  private void revokeKey(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    keys.revoke(id)
        .onSuccess(found -> {
          if (!found) {
            ctx.fail(ProblemException.notFound("key " + shortId(id)));
            return;
          }
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  private void usage(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    keys.quota(id, Instant.now())
        .onSuccess(found -> {
          if (found.isEmpty()) {
            ctx.fail(ProblemException.notFound("key " + shortId(id)));
            return;
          }
          Quota quota = found.get();
          ctx.response().putHeader("Content-Type", "application/json").end(quota.toJson().encode());
        })
        .onFailure(ctx::fail);
  }

  private static String shortId(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "..." : id;
  }
}
