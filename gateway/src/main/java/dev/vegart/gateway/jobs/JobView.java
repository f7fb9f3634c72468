package dev.vegart.gateway.jobs;

import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobRequest;
import dev.vegart.gateway.images.ImageUrls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/** Renders a job for its owner: status, timings and presigned image URLs (snake_case JSON). */
public final class JobView {
  private final ImageUrls urls;

  public JobView(ImageUrls urls) {
    this.urls = urls;
  }

  public JsonObject render(JobRecord job) {
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

  /** A fresh presigned URL for one stored image. */
  public java.net.URI url(ImageResult image) {
    return urls.presign(image.objectKey());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
