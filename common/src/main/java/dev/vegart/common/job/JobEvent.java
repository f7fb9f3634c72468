package dev.vegart.common.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/**
 * What a worker reports about a job on {@code vegart.job-events} (key = job id). The gateway applies
 * them to the job record; applying one twice, or a stale one after a terminal state, changes nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = JobEvent.Started.class, name = "started"),
  @JsonSubTypes.Type(value = JobEvent.Succeeded.class, name = "succeeded"),
  @JsonSubTypes.Type(value = JobEvent.Failed.class, name = "failed"),
  @JsonSubTypes.Type(value = JobEvent.Expired.class, name = "expired"),
  @JsonSubTypes.Type(value = JobEvent.Canceled.class, name = "canceled"),
  @JsonSubTypes.Type(value = JobEvent.Progress.class, name = "progress"),
})
public sealed interface JobEvent {
  String jobId();

  String workerId();

  Instant at();

  /** The worker took the job off the queue and began running it. */
  record Started(String jobId, String workerId, Instant at) implements JobEvent {}

  /**
   * Every image is durable in S3.
   *
   * @param inferenceMs time from start to the last image decoded
   * @param truncatedTokens prompt tokens dropped because the prompt was longer than the encoder's window
   */
  record Succeeded(String jobId, String workerId, Instant at, List<ImageResult> images, long inferenceMs, int truncatedTokens)
      implements JobEvent {
    public Succeeded {
      images = List.copyOf(images);
    }
  }

  /**
   * A running job's denoising progress, throttled by the worker. Informational: it changes no job record and a
   * lost one is harmless; gateways relay it to live listeners ({@code GET /v1/jobs/{id}/events}).
   *
   * @param stepsDone UNet steps done by the job's slowest image
   * @param stepsTotal the job's step count
   */
  record Progress(String jobId, String workerId, Instant at, int stepsDone, int stepsTotal) implements JobEvent {}

  /**
   * The job cannot complete.
   *
   * @param code machine-readable reason, e.g. {@code model_error}, {@code storage_unavailable}, {@code invalid_job}
   * @param message human-readable reason, without secrets or the prompt
   */
  record Failed(String jobId, String workerId, Instant at, String code, String message) implements JobEvent {}

  /** The job's deadline passed before any worker started it; it was never run. */
  record Expired(String jobId, String workerId, Instant at) implements JobEvent {}

  /**
   * The job was canceled by its owner and stopped on this worker.
   *
   * @param whileRunning whether it had already started (a started job's quota is not refunded)
   */
  record Canceled(String jobId, String workerId, Instant at, boolean whileRunning) implements JobEvent {}
}
