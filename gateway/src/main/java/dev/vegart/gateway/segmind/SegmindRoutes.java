package dev.vegart.gateway.segmind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobStatus;
import dev.vegart.gateway.api.CanonicalJson;
import dev.vegart.gateway.api.IdempotencyKey;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.jobs.JobLimits;
import dev.vegart.gateway.jobs.JobRecord;
import dev.vegart.gateway.jobs.JobRoutes;
import dev.vegart.gateway.jobs.JobService;
import dev.vegart.gateway.jobs.SubmitRequest;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.keys.Authentication;
import dev.vegart.gateway.quota.RateLimitHeaders;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/segmind-vega-rt-v1}: Segmind's synchronous endpoint, so existing Segmind clients can switch by
 * changing the base URL. Same key ({@code x-api-key}), quota, idempotency and validation as {@code /v1/jobs};
 * the answer is the JPEG itself, or {@code {"image": "<base64>"}} when {@code base64} is true. A job that does
 * not end within {@code VEGART_SYNC_TIMEOUT} answers 504 with the job's URL in {@code Location} (it keeps
 * running, and is charged unless the service fails it).
 */
public final class SegmindRoutes {
  public static final String PATH = "/segmind-vega-rt-v1";
  private final JobService jobs;
  private final JobLimits limits;
  private final ImageFetcher images;
  private final Duration timeout;

  public SegmindRoutes(JobService jobs, JobLimits limits, ImageFetcher images, Duration timeout) {
    this.jobs = jobs;
    this.limits = limits;
    this.images = images;
    this.timeout = timeout;
  }

  public void mount(Router v1) {
    v1.post(PATH).handler(this::generate);
  }

  private void generate(RoutingContext ctx) {
    JobRoutes.requireJson(ctx);
    ApiKey key = Authentication.caller(ctx);
    Optional<String> idempotencyHeader = IdempotencyKey.header(ctx.request());
    ObjectNode body = SubmitRequest.readObject(ctx.body().asString());
    SegmindRequest req = SegmindRequest.parse(body, limits);
    Optional<IdempotencyKey> idempotency = idempotencyHeader.map(v -> IdempotencyKey.of(v, "POST /v1" + PATH, CanonicalJson.of(body)));
    JobRoutes.admit(ctx, jobs.submit(RateLimitHeaders.current(ctx), req.job(), idempotency))
        .compose(accepted -> jobs.awaitEnd(accepted.job(), timeout))
        .compose(this::firstImage)
        .compose(found -> images.fetch(found.image().objectKey()).compose(bytes -> send(ctx, found, bytes, req.base64())))
        .onFailure(ctx::fail);
  }

  private record Found(JobRecord job, ImageResult image) {}

  private Future<Found> firstImage(JobRecord job) {
    if (job.status() == JobStatus.SUCCEEDED && !job.images().isEmpty()) {
      return Future.succeededFuture(new Found(job, job.images().get(0)));
    }
    String url = "/v1/jobs/" + job.id();
    ProblemException problem = switch (job.status()) {
      case QUEUED, RUNNING -> new ProblemException(504, "timeout", "Not finished in time",
          "job " + job.id() + " did not finish within " + timeout.toSeconds() + " s; it is still " + job.status().wire()
              + " and its result will be at " + url, List.of(), Map.of("Location", url));
      case FAILED -> new ProblemException(503, "job-failed", "Generation failed",
          "job " + job.id() + " failed (" + job.errorCode() + "); it was not charged, retry later", List.of(),
          Map.of("Retry-After", "5"));
      default -> ProblemException.of(409, "job-" + job.status().wire(), "Job " + job.status().wire(),
          "job " + job.id() + " ended as " + job.status().wire() + " before it produced an image; it was not charged");
    };
    return Future.failedFuture(problem);
  }

  private static Future<Void> send(RoutingContext ctx, Found found, Buffer bytes, boolean base64) {
    ctx.response().putHeader("X-Vegart-Job-Id", found.job().id());
    if (base64) {
      return ctx.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("image", Base64.getEncoder().encodeToString(bytes.getBytes())).encode());
    }
    return ctx.response().putHeader("Content-Type", found.image().format().mediaType()).end(bytes);
  }
}
