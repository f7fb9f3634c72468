package dev.vegart.gateway.live;

import dev.vegart.gateway.jobs.JobService;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Authentication;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/jobs/{id}/events}: a {@code text/event-stream} of the caller's job. {@code event: job} carries
 * the job as {@code GET /v1/jobs/{id}} renders it (at once, on every status or queue change, and last when it
 * ends); {@code event: progress} carries {@code {id, steps_done, steps_total}} while it runs. The stream ends after
 * the job's final {@code job} event, or after {@link StreamSettings#maxDuration()} (reconnect to go on). An unknown
 * or foreign job is a 404 problem, like the plain read. Nothing here blocks: every step is a future on the
 * request's event loop.
 */
public final class JobEventStream {
  private final JobService jobs;
  private final LiveEvents live;
  private final StreamSettings settings;

  public JobEventStream(JobService jobs, LiveEvents live, StreamSettings settings) {
    this.jobs = jobs;
    this.live = live;
    this.settings = settings;
  }

  public void mount(Router v1) {
    v1.get("/jobs/:id/events").handler(this::open);
  }

  private void open(RoutingContext ctx) {
    ApiKey key = Authentication.caller(ctx);
    jobs.owned(ctx.pathParam("id"), key)
        .onSuccess(job -> new LiveStream(ctx.vertx(), ctx.response(), jobs, key, job, settings).open(live))
        .onFailure(ctx::fail);
  }
}
