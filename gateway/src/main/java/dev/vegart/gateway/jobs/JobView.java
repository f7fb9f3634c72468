package dev.vegart.gateway.jobs;

import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobRequest;
import dev.vegart.gateway.images.ImageUrls;
import dev.vegart.gateway.webhooks.WebhookStatus;
import dev.vegart.gateway.webhooks.WebhookSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Renders a job for its owner: status, timings and presigned image URLs (snake_case JSON). */
public final class JobView {
  private final ImageUrls urls;

  public JobView(ImageUrls urls) {
    this.urls = urls;
  }

  /** A queued job's place in the fleet's queue: images of earlier queued jobs and the estimated seconds to done. */
  public record QueuePlace(long imagesAhead, Long etaSeconds) {}

  public JsonObject render(JobRecord job) {
    return render(job, null);
  }

  /** Renders the job; {@code place} (null when unknown or not queued) adds {@code queue_position} and {@code eta_seconds}. */
  public JsonObject render(JobRecord job, QueuePlace place) {
    JobRequest r = job.request();
    JsonObject out = new JsonObject()
        .put("id", job.id())
        .put("status", job.status().wire())
        .put("prompt", r.prompt())
        .put("num_inference_steps", r.steps())
        .put("seed", r.seed())
        .put("width", r.width())
        .put("height", r.height())
        .put("num_images", r.numImages())
        .put("output_format", r.outputFormat().wire())
        .put("decoder", r.decoder().wire())
        .put("created_at", text(job.createdAt()))
        .put("started_at", text(job.startedAt()))
        .put("finished_at", text(job.finishedAt()))
        .put("queue_ms", job.startedAt() == null ? null : Duration.between(job.createdAt(), job.startedAt()).toMillis())
        .put("inference_ms", job.inferenceMs());
    if (r.deadline() != null) {
      out.put("cancel_after", text(r.deadline()));
    }
    if (job.cancelRequestedAt() != null) {
      out.put("cancel_requested_at", text(job.cancelRequestedAt()));
    }
    if (place != null) {
      out.put("queue_position", place.imagesAhead());
      out.put("eta_seconds", place.etaSeconds());
    }
    if (job.truncatedTokens() != null) {
      out.put("truncated_tokens", job.truncatedTokens());
    }
    JsonArray images = new JsonArray();
    for (ImageResult image : job.images()) {
      images.add(new JsonObject()
          .put("index", image.index())
          .put("url", url(image).toString())
          .put("seed", image.seed())
          .put("width", image.width())
          .put("height", image.height())
          .put("format", image.format().wire())
          .put("bytes", image.bytes())
          .put("sha256", image.sha256()));
    }
    out.put("images", images);
    if (job.errorCode() != null) {
      out.put("error", new JsonObject().put("code", job.errorCode()).put("message", job.errorMessage()));
    }
    return out;
  }

  /**
   * Adds what the job shows about its webhook: {@code webhook_url}, {@code webhook_events} and
   * {@code webhook_status} (see {@link WebhookStatus}), kept apart from the job's own status. A null
   * {@code webhook} (the job has none) adds nothing.
   */
  public static JsonObject withWebhook(JsonObject job, WebhookSummary webhook) {
    if (webhook != null) {
      job.put("webhook_url", webhook.url())
          .put("webhook_events", new JsonArray(List.copyOf(webhook.events())))
          .put("webhook_status", webhook.status());
    }
    return job;
  }

  /** A fresh presigned URL for one stored image. */
  public java.net.URI url(ImageResult image) {
    return urls.presign(image.objectKey());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
