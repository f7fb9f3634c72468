package dev.vegart.worker.runtime;

import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.storage.ImageKeys;
import dev.vegart.worker.imageio.EncodedImage;
import dev.vegart.worker.imageio.ImageEncoder;
import dev.vegart.worker.observability.WorkerMetrics;
import dev.vegart.worker.pipeline.Generation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Encodes finished images and puts them in S3, off the device thread. Transient S3 failures are retried
 * with exponential back-off until {@code retryBudget} is spent; then the job fails with
 * {@link StorageUnavailableException}. Thread-safe.
 */
final class ResultStore {
  private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);
  private final S3Client s3;
  private final String bucket;
  private final ImageEncoder encoder;
  private final ExecutorService executor;
  private final Duration retryBudget;
  private final Clock clock;
  private final WorkerMetrics metrics;

  ResultStore(S3Client s3, String bucket, ImageEncoder encoder, ExecutorService executor, Duration retryBudget, Clock clock,
      WorkerMetrics metrics) {
    this.s3 = s3;
    this.bucket = bucket;
    this.encoder = encoder;
    this.executor = executor;
    this.retryBudget = retryBudget;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Encodes and uploads every image of {@code job}; completes with their records, in index order. */
  CompletableFuture<List<ImageResult>> store(JobRequest job, List<Generation> generations, String runId) {
    List<CompletableFuture<ImageResult>> uploads = new ArrayList<>();
    for (int i = 0; i < generations.size(); i++) {
      int index = i;
      Generation g = generations.get(i);
      uploads.add(CompletableFuture.supplyAsync(() -> encode(g, job), executor)
          .thenCompose(encoded -> timedPut(ImageKeys.image(job.id(), runId, index, job.outputFormat()), encoded)
              .thenApply(key -> new ImageResult(index, key, g.seed(), g.width(), g.height(), job.outputFormat(),
                  encoded.bytes().length, encoded.sha256()))));
    }
    return CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new))
        .thenApply(v -> uploads.stream().map(CompletableFuture::join).toList());
  }

  private EncodedImage encode(Generation g, JobRequest job) {
    long started = System.nanoTime();
    EncodedImage encoded = encoder.encode(g.image(), job.outputFormat());
    metrics.encoded(System.nanoTime() - started);
    return encoded;
  }

  private CompletableFuture<String> timedPut(String key, EncodedImage image) {
    long started = System.nanoTime();
    return put(key, image, clock.millis() + retryBudget.toMillis(), 1)
        .whenComplete((ok, error) -> metrics.uploaded(System.nanoTime() - started, error == null));
  }

  private CompletableFuture<String> put(String key, EncodedImage image, long deadlineMs, int attempt) {
    return CompletableFuture.supplyAsync(() -> {
          s3.putObject(r -> r.bucket(bucket).key(key).contentType(image.format().mediaType())
              .contentLength((long) image.bytes().length), RequestBody.fromBytes(image.bytes()));
          return key;
        }, executor)
        .handle((ok, error) -> {
          if (error == null) {
            return CompletableFuture.completedFuture(ok);
          }
          long backoffMs = Math.min(5_000, 250L << Math.min(attempt - 1, 5));
          if (clock.millis() + backoffMs > deadlineMs) {
            return CompletableFuture.<String>failedFuture(new StorageUnavailableException(
                "could not store the image after " + attempt + " attempts: " + rootMessage(error)));
          }
          LOG.warn("upload of {} failed (attempt {}), retrying in {} ms: {}", key, attempt, backoffMs, rootMessage(error));
          Executor later = CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS, executor);
          return CompletableFuture.supplyAsync(() -> null, later).thenCompose(v -> put(key, image, deadlineMs, attempt + 1));
        })
        .thenCompose(f -> f);
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** S3 stayed unreachable for the whole retry budget. */
  static final class StorageUnavailableException extends RuntimeException {
    StorageUnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
