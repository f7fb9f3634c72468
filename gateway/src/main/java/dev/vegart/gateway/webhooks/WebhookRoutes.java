package dev.vegart.gateway.webhooks;

import dev.vegart.common.tracing.TraceContext;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Authentication;
import dev.vegart.gateway.observability.GatewayTracing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The webhook side of {@code /v1}: admitting a job's webhook at submit (the SSRF check, answered 400), the
 * delivery log ({@code GET /v1/jobs/{id}/webhook-deliveries}), redelivery
 * ({@code POST /v1/jobs/{id}/webhook-deliveries/redeliver}) and secret rotation
 * ({@code POST /v1/webhook-secret/rotate}). Thread-safe.
 */
public final class WebhookRoutes {
  private final WebhookStore store;
  private final WebhookSecrets secrets;
  private final DestinationPolicy policy;
  private final HostResolver resolver;

  public WebhookRoutes(WebhookStore store, WebhookSecrets secrets, DestinationPolicy policy, HostResolver resolver) {
    this.store = store;
    this.secrets = secrets;
    this.policy = policy;
    this.resolver = resolver;
  }

  public void mount(Router v1) {
    v1.get("/jobs/:id/webhook-deliveries").handler(this::list);
    v1.post("/jobs/:id/webhook-deliveries/redeliver").handler(this::redeliver);
    v1.post("/webhook-secret/rotate").handler(this::rotate);
  }

  /**
   * Checks a job's webhook destination and records it before the job is; a destination the policy refuses, or
   * one that answered 410 to this key, fails with a 400 problem. Does nothing for a job without a webhook. Call
   * it while handling the submit request: the request's trace is recorded with the webhook.
   */
  public Future<Void> register(String jobId, ApiKey key, WebhookSubscription sub) {
    if (sub == null) {
      return Future.succeededFuture();
    }
    // Read now, on the request's context: the job's deliveries carry this trace on.
    TraceContext trace = GatewayTracing.current().orElse(null);
    Optional<String> refused = policy.refuseUrl(sub.url());
    if (refused.isPresent()) {
      return Future.failedFuture(invalidUrl(refused.get()));
    }
    return resolver.resolve(sub.url().getHost())
        .recover(e -> Future.succeededFuture(List.of()))
        .compose(addresses -> policy.refuseAddresses(sub.url().getHost(), addresses)
            .<Future<Void>>map(reason -> Future.failedFuture(invalidUrl(reason)))
            .orElseGet(Future::succeededFuture))
        .compose(v -> store.disabledSince(key.id(), sub.url().toString()))
        .compose(disabled -> disabled.isPresent()
            ? Future.failedFuture(invalidUrl("this endpoint answered 410 Gone on " + disabled.get()
                + " and is disabled for this key; a redeliver of that job's webhook re-enables it"))
            : store.register(jobId, key.id(), sub, trace));
  }

  /** Removes the webhook of a job whose submit failed. */
  public Future<Void> forget(String jobId) {
    return store.forget(jobId);
  }

  /** What the job view shows about the job's webhook; empty when it has none. */
  public Future<Optional<WebhookSummary>> summary(String jobId) {
    return store.summary(jobId);
  }

  private static ProblemException invalidUrl(String reason) {
    return ProblemException.invalid(List.of(FieldError.of("webhook_url", reason)));
  }

  private void list(RoutingContext ctx) {
    String jobId = ctx.pathParam("id");
    owned(jobId, Authentication.caller(ctx))
        .compose(v -> Future.all(store.summary(jobId), store.log(jobId)))
        .onSuccess(all -> {
          Optional<WebhookSummary> summary = all.resultAt(0);
          List<DeliveryLog> log = all.resultAt(1);
          JsonArray deliveries = new JsonArray();
          log.forEach(d -> deliveries.add(d.toJson()));
          ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
              .put("job_id", jobId)
              .put("webhook_url", summary.map(WebhookSummary::url).orElse(null))
              .put("webhook_events", summary.map(s -> new JsonArray(List.copyOf(s.events()))).orElse(null))
              .put("webhook_status", summary.map(WebhookSummary::status).orElse(null))
              .put("deliveries", deliveries)
              .encode());
        })
        .onFailure(ctx::fail);
  }

  private void redeliver(RoutingContext ctx) {
    String jobId = ctx.pathParam("id");
    ApiKey key = Authentication.caller(ctx);
    owned(jobId, key)
        .compose(v -> store.summary(jobId))
        .compose(summary -> summary.isEmpty()
            ? Future.failedFuture(ProblemException.of(409, "no-webhook", "No webhook", "job " + jobId + " has no webhook_url"))
            : store.redeliver(jobId, key.id()))
        .onSuccess(ids -> {
          if (ids.isEmpty()) {
            ctx.fail(ProblemException.of(409, "nothing-to-redeliver", "Nothing to redeliver",
                "job " + jobId + " has no delivery yet, or its deliveries are being attempted right now"));
            return;
          }
          ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("job_id", jobId).put("redelivered", new JsonArray(List.copyOf(ids))).encode());
        })
        .onFailure(ctx::fail);
  }

  private void rotate(RoutingContext ctx) {
    ApiKey key = Authentication.caller(ctx);
    Duration grace = graceOf(ctx);
    secrets.rotate(key.id(), grace)
        .onSuccess(rotated -> ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("webhook_secret", rotated.secret())
            .put("previous_secret_valid_until", rotated.previousValidUntil().toString())
            .encode()))
        .onFailure(ctx::fail);
  }

  private static Duration graceOf(RoutingContext ctx) {
    String field = "previous_secret_valid_seconds";
    if (ctx.body().isEmpty()) { // no body at all reads as length -1, not 0
      return WebhookSecrets.DEFAULT_GRACE;
    }
    Object value;
    try {
      value = ctx.body().asJsonObject().getValue(field);
    } catch (RuntimeException e) {
      throw ProblemException.of(400, "malformed-json", "Malformed JSON", "the body is not a JSON object");
    }
    if (value == null) {
      return WebhookSecrets.DEFAULT_GRACE;
    }
    long max = WebhookSecrets.MAX_GRACE.toSeconds();
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0 || ((Number) value).longValue() > max) {
      throw ProblemException.invalid(List.of(FieldError.of(field, "must be an integer from 0 to " + max)));
    }
    return Duration.ofSeconds(((Number) value).longValue());
  }

  private Future<Void> owned(String jobId, ApiKey key) {
    return store.owns(jobId, key.id()).compose(owns -> owns
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(ProblemException.notFound("job " + (jobId.length() > 64 ? jobId.substring(0, 64) + "..." : jobId))));
  }
}
