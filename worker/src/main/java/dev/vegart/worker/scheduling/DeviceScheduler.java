package dev.vegart.worker.scheduling;

import java.time.Duration;

/**
 * Owns the device thread and decides, at every iteration, which pipeline stage runs next on which
 * admissions. Policies (no batching, bucket batching, step-level continuous batching) implement this.
 *
 * <p>Thread-safety: {@link #offer}, {@link #freeSlots}, {@link #cancel} and {@link #drain} may be called from any thread.
 */
public interface DeviceScheduler extends AutoCloseable {

  /** Starts the device thread. */
  void start();

  /** Hands over a job without blocking; false when the scheduler's queue is full (the caller keeps it). */
  boolean offer(Admission admission);

  /** How many more images the scheduler can take now and start soon; the Kafka consumer fetches only that much. */
  int freeSlots();

  /** Cancels a job: dropped if queued, stopped at the next step boundary if running. Unknown ids are ignored. */
  void cancel(String jobId);

  /** Stops taking new work and waits for the admitted work to finish; true if it all finished in time. */
  boolean drain(Duration timeout) throws InterruptedException;

  /** Stops the device thread; admissions still pending are neither run nor reported. */
  @Override
  void close();
}
