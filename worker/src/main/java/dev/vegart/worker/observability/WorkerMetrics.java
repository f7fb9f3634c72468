package dev.vegart.worker.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker runtime's own meters (the scheduler records batch sizes, dispatch reasons, queue wait, stage
 * latency and busy time itself). Names as Prometheus shows them:
 * <ul>
 *   <li>{@code vegart_worker_images_generated_total}: images the model produced for jobs;</li>
 *   <li>{@code vegart_worker_image_encode_seconds}: PNG/JPEG/WebP encoding of one image;</li>
 *   <li>{@code vegart_worker_image_upload_seconds{outcome}}: putting one image in S3, retries included,
 *       {@code outcome} = stored | failed;</li>
 *   <li>{@code vegart_worker_consumer_lag_records}: records of {@code vegart.jobs} behind this worker's
 *       position, summed over its partitions (last value the consumer saw);</li>
 *   <li>{@code vegart_worker_ready}: 1 once the model is loaded and warmed up and the consumer runs.</li>
 * </ul>
 * No label carries a job id, key or prompt. Thread-safe.
 */
public final class WorkerMetrics {
  private final Counter images;
  private final Timer encode;
  private final Timer uploadStored;
  private final Timer uploadFailed;
  private final AtomicLong lag = new AtomicLong();

  public WorkerMetrics(MeterRegistry registry, java.util.function.BooleanSupplier ready) {
    images = Counter.builder("vegart.worker.images.generated")
        .description("Images the model produced for jobs")
        .register(registry);
    encode = latency("vegart.worker.image.encode", "Encoding of one image", Duration.ofSeconds(5)).register(registry);
    uploadStored = latency("vegart.worker.image.upload", "Storing one image in S3, retries included", Duration.ofSeconds(60))
        .tag("outcome", "stored").register(registry);
    uploadFailed = latency("vegart.worker.image.upload", "Storing one image in S3, retries included", Duration.ofSeconds(60))
        .tag("outcome", "failed").register(registry);
    Gauge.builder("vegart.worker.consumer.lag", lag, AtomicLong::get)
        .description("Records of the jobs topic behind this worker's position, over its partitions")
        .baseUnit("records")
        .register(registry);
    Gauge.builder("vegart.worker.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 when the model is loaded and warmed up and the job consumer runs")
        .register(registry);
  }

  private static Timer.Builder latency(String name, String description, Duration max) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(max);
  }

  public void imagesGenerated(int count) {
    images.increment(count);
  }

  public void encoded(long nanos) {
    encode.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void uploaded(long nanos, boolean stored) {
    (stored ? uploadStored : uploadFailed).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The consumer's latest view of its lag; called from the consumer thread. */
  public void consumerLag(long records) {
    lag.set(records);
  }
}
