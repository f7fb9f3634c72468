package dev.vegart.gateway.jobs;

import dev.vegart.common.ids.Ids;
import dev.vegart.common.job.JobRequest;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.kafka.JobPublisher;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Authentication;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/jobs}: submit, read, and redirect to an image. A submit answers 202 only once the job is in
 * PostgreSQL and Kafka has acknowledged it.
 */
public final class JobRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(JobRoutes.class);
  private final JobStore store;
  private final JobPublisher publisher;
  private final JobView view;
  private final JobLimits limits;

  public JobRoutes(JobStore store, JobPublisher publisher, JobView view, JobLimits limits) {
    this.store = store;
    this.publisher = publisher;
    this.view = view;
    this.limits = limits;
  }

  public void mount(Router v1) {
    v1.post("/jobs").handler(this::submit);
    v1.get("/jobs/:id").handler(this::get);
    v1.get("/jobs/:id/images/:index").handler(this::image);
  }

  private void submit(RoutingContext ctx) {
    requireJson(ctx);
    ApiKey key = Authentication.caller(ctx);
    SubmitRequest req = SubmitRequest.parse(SubmitRequest.readObject(ctx.body().asString()), limits);
    JobRequest job = new JobRequest(Ids.job(), key.id(), req.prompt(), req.steps(), req.seed(), req.width(), req.height(),
        req.numImages(), req.outputFormat(), req.decoder(), Instant.now(), null);
    store.submit(key, job)
        .compose(v -> handOver(job))
        .compose(v -> store.find(job.id(), key.id()))
        .onSuccess(found -> {
          LOG.info("job {} accepted for key {} ({} image(s), {} steps, {}x{})", job.id(), key.id(), job.numImages(),
              job.steps(), job.width(), job.height());
          ctx.response().setStatusCode(202)
              .putHeader("Content-Type", "application/json")
              .putHeader("Location", "/v1/jobs/" + job.id())
              .end(view.render(found.orElseThrow()).encode());
        })
        .onFailure(ctx::fail);
  }

  /** Publishes the recorded job; if Kafka refuses it, takes the job back (deleted, refunded) and answers 503. */
  private Future<Void> handOver(JobRequest job) {
    return publisher.publish(job)
        .recover(error -> {
          LOG.warn("job {} could not be handed to Kafka: {}", job.id(), error.toString());
          return store.withdraw(job.id())
              .transform(ignored -> Future.failedFuture(
                  ProblemException.unavailable("the job queue is unavailable; nothing was charged, retry later", 5)));
        })
        .compose(v -> store.markPublished(job.id()).recover(e -> Future.succeededFuture()));
  }

  private void get(RoutingContext ctx) {
    ApiKey key = Authentication.caller(ctx);
    String id = ctx.pathParam("id");
    owned(id, key)
        .onSuccess(job -> ctx.response()
            .putHeader("Content-Type", "application/json")
            .end(view.render(job).encode()))
        .onFailure(ctx::fail);
  }

  private void image(RoutingContext ctx) {
    ApiKey key = Authentication.caller(ctx);
    String id = ctx.pathParam("id");
    int index = parseIndex(ctx.pathParam("index"));
    owned(id, key)
        .map(job -> job.images().stream().filter(i -> i.index() == index).findFirst()
            .orElseThrow(() -> ProblemException.notFound("image " + index + " of job " + job.id())))
        .onSuccess(image -> ctx.response().setStatusCode(302)
            .putHeader("Location", view.url(image).toString())
            .end())
        .onFailure(ctx::fail);
  }

  /** The job if the caller owns it; otherwise the same 404 as for a job that does not exist. */
  private Future<JobRecord> owned(String id, ApiKey key) {
    return store.find(id, key.id()).map(found -> found.orElseThrow(() -> ProblemException.notFound("job " + safe(id))));
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

  static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw ProblemException.of(415, "unsupported-media-type", "Unsupported media type",
          "send the body as JSON with Content-Type: application/json");
    }
  }

  private static String safe(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "..." : id;
  }
}
