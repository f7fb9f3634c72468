package dev.vegart.gateway.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.gateway.api.CanonicalJson;
import dev.vegart.gateway.api.IdempotencyKey;
import dev.vegart.gateway.api.PreferWait;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Authentication;
import dev.vegart.gateway.quota.QuotaExceededException;
import dev.vegart.gateway.quota.RateLimitHeaders;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/jobs}: submit (202 once the job is in PostgreSQL and Kafka acknowledged it; 200 when
 * {@code Prefer: wait=N} saw it end), read (also with {@code Prefer: wait}), cancel, and redirect to an image.
 */
public final class JobRoutes {
  private final JobService jobs;
  private final JobLimits limits;

  public JobRoutes(JobService jobs, JobLimits limits) {
    this.jobs = jobs;
    this.limits = limits;
  }

  public void mount(Router v1) {
    v1.post("/jobs").handler(this::submit);
    v1.get("/jobs/:id").handler(this::get);
    v1.delete("/jobs/:id").handler(this::cancel);
    v1.get("/jobs/:id/images/:index").handler(this::image);
    jobs.webhooks().mount(v1);
  }

  private void submit(RoutingContext ctx) {
    requireJson(ctx);
    ApiKey key = Authentication.caller(ctx);
    Optional<String> idempotencyHeader = IdempotencyKey.header(ctx.request());
    Optional<Duration> wait = PreferWait.parse(ctx.request());
    ObjectNode body = SubmitRequest.readObject(ctx.body().asString());
    SubmitRequest req = SubmitRequest.parse(body, limits);
    Optional<IdempotencyKey> idempotency = idempotencyHeader.map(v -> IdempotencyKey.of(v, "POST /v1/jobs", CanonicalJson.of(body)));
    admit(ctx, jobs.submit(RateLimitHeaders.current(ctx), req, idempotency))
        .compose(accepted -> {
          if (accepted.replayed()) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
          }
          ctx.response().putHeader("Location", "/v1/jobs/" + accepted.job().id());
          return wait.isPresent()
              ? jobs.awaitEnd(accepted.job(), wait.get()).compose(job -> respond(ctx, job, wait, 202))
              : jobs.render(accepted).compose(json -> send(ctx, accepted.job().status().terminal() ? 200 : 202, json));
        })
        .onFailure(ctx::fail);
  }

  /** Keeps the rate-limit headers exact: the count after a reservation, or as a refused one saw it. */
  public static Future<JobService.Accepted> admit(RoutingContext ctx, Future<JobService.Accepted> submit) {
    return submit
        .onSuccess(a -> {
          if (a.usedAfter() >= 0) {
            RateLimitHeaders.update(ctx, a.usedAfter());
          }
        })
        .recover(e -> {
          if (e instanceof QuotaExceededException q) {
            RateLimitHeaders.update(ctx, q.quota().used());
            return Future.failedFuture(q.problem(Instant.now()));
          }
          return Future.failedFuture(e);
        });
  }

  private void get(RoutingContext ctx) {
    ApiKey key = Authentication.caller(ctx);
    Optional<Duration> wait = PreferWait.parse(ctx.request());
    jobs.owned(ctx.pathParam("id"), key)
        .compose(job -> wait.isPresent() ? jobs.awaitEnd(job, wait.get()) : Future.succeededFuture(job))
        .compose(job -> respond(ctx, job, wait, 200))
        .onFailure(ctx::fail);
  }

  /** 200 once ended; otherwise {@code pending} (202 for a submit). A honoured wait is acknowledged per RFC 7240. */
  private Future<Void> respond(RoutingContext ctx, JobRecord job, Optional<Duration> wait, int pending) {
    wait.ifPresent(w -> ctx.response().putHeader("Preference-Applied", "wait=" + w.toSeconds()));
    return jobs.render(job).compose(json -> send(ctx, job.status().terminal() ? 200 : pending, json));
  }

  private void cancel(RoutingContext ctx) {
    ApiKey key = Authentication.caller(ctx);
    jobs.cancel(ctx.pathParam("id"), key)
        .compose(job -> jobs.render(job).compose(json -> send(ctx, job.status().terminal() ? 200 : 202, json)))
        .onFailure(ctx::fail);
  }

  private void image(RoutingContext ctx) {
    ApiKey key = Authentication.caller(ctx);
    int index = parseIndex(ctx.pathParam("index"));
    jobs.owned(ctx.pathParam("id"), key)
        .map(job -> job.images().stream().filter(i -> i.index() == index).findFirst()
            .orElseThrow(() -> ProblemException.notFound("image " + index + " of job " + job.id())))
        .onSuccess(image -> ctx.response().setStatusCode(302)
            .putHeader("Location", jobs.view().url(image).toString())
            .end())
        .onFailure(ctx::fail);
  }

  private static Future<Void> send(RoutingContext ctx, int status, JsonObject json) {
    return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json.encode());
  }

  private static int parseIndex(String text) {
    try {
      int index = Integer.parseInt(text);
      if (index >= 0) {
        return index;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ProblemException.invalid(List.of(FieldError.of("index", "must be a non-negative integer")));
  }

  public static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw ProblemException.of(415, "unsupported-media-type", "Unsupported media type",
          "send the body as JSON with Content-Type: application/json");
    }
  }
}
