package dev.vegart.common.job;

import java.time.Instant;

/**
 * A job as the gateway hands it to the workers on {@code vegart.jobs} (key = job id). Immutable and
 * self-contained: a worker needs nothing else to run it.
 *
 * @param id job id
 * @param keyId id of the API key that owns the job (never the key itself)
 * @param prompt the text prompt
 * @param steps number of LCM inference steps, 1..8
 * @param seed seed of image 0; image i uses {@code seed + i}
 * @param width image width in pixels
 * @param height image height in pixels
 * @param numImages images to generate, 1..4
 * @param outputFormat png, jpeg or webp
 * @param decoder full or fast
 * @param submittedAt when the gateway accepted the job
 * @param deadline when the job expires if not started by then, or null
 */
public record JobRequest(
    String id,
    String keyId,
    String prompt,
    int steps,
    long seed,
    int width,
    int height,
    int numImages,
    OutputFormat outputFormat,
    Decoder decoder,
    Instant submittedAt,
    Instant deadline) {

  public JobRequest {
    if (numImages < 1) {
      throw new IllegalArgumentException("numImages must be >= 1");
    }
  }
}
