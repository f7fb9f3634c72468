package dev.vegart.worker.runtime;

import dev.vegart.common.ids.Ids;
import dev.vegart.common.job.JobEvent;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.tracing.LogFields;
import dev.vegart.common.tracing.TraceContext;
import dev.vegart.common.tracing.TracedSpan;
import dev.vegart.worker.observability.PromptLog;
import dev.vegart.worker.observability.WorkerMetrics;
import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.AdmissionListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one job on this worker: turns the scheduler's callbacks into durable results and events,
 * and tells the consumer when the record may be committed (only after the terminal event is acknowledged).
 * Callbacks arrive on the device thread and return at once; the work continues on other threads. Every log
 * line about the job carries its job id, key id and trace id (MDC), and every event its {@code traceparent};
 * the run's span ends once the terminal event is acknowledged (or given up on).
 */
final class JobRun implements AdmissionListener {
  /** About an hour of retries: past that the record is left uncommitted and redelivered after a restart. */
  private static final int MAX_PUBLISH_ATTEMPTS = 125;
  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
  /** Often enough for a progress bar to move smoothly, rare enough that a busy fleet's event topic does not notice. */
  static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
  private final JobRequest job;
  private final String workerId;
  private final EventPublisher events;
  private final ResultStore results;
  private final Clock clock;
  private final Runnable onDurable;
  private final TracedSpan span;
  private final TraceContext trace;
  private final WorkerMetrics metrics;
  private final String runId = Ids.secret(8);
  private final ProgressThrottle progress;
  private volatile Instant startedAt;
  /** The error code of the terminal event when the job failed: the span's error. */
  private volatile String failure;

  JobRun(JobRequest job, String workerId, EventPublisher events, ResultStore results, Clock clock, Runnable onDurable,
      TracedSpan span, WorkerMetrics metrics) {
    this.job = job;
    this.workerId = workerId;
    this.events = events;
    this.results = results;
    this.clock = clock;
    this.onDurable = onDurable;
    this.span = span;
    this.trace = span.context();
    this.metrics = metrics;
    this.progress = new ProgressThrottle(clock, PROGRESS_INTERVAL);
  }

  /** The job's log fields on the current thread, until closed. */
  private LogFields.Scope fields() {
    return LogFields.forJob(job.id(), job.keyId(), trace);
  }

  @Override
  public void started() {
    startedAt = clock.instant();
    try (LogFields.Scope f = fields()) {
      LOG.info("job {} started ({} image(s), {} steps, {}x{}, prompt {})", job.id(), job.numImages(), job.steps(),
          job.width(), job.height(), PromptLog.describe(job.prompt()));
    }
    events.publish(new JobEvent.Started(job.id(), workerId, startedAt), trace)
        .exceptionally(e -> {
          try (LogFields.Scope f = fields()) {
            LOG.warn("job {}: started event not published: {}", job.id(), e.toString());
          }
          return null;
        });
  }

  /** Best effort: a lost progress record costs a stale progress bar, never the job, so failures are only logged. */
  @Override
  public void progress(int stepsDone, int stepsTotal) {
    if (progress.shouldSend(stepsDone, stepsTotal)) {
      events.publish(new JobEvent.Progress(job.id(), workerId, clock.instant(), stepsDone, stepsTotal), trace)
          .exceptionally(e -> {
            LOG.debug("job {}: progress event not published: {}", job.id(), e.toString());
            return null;
          });
    }
  }

  @Override
  public void succeeded(List<Generation> generations) {
    long inferenceMs = startedAt == null ? 0 : clock.millis() - startedAt.toEpochMilli();
    int truncated = generations.stream().mapToInt(Generation::truncatedTokens).max().orElse(0);
    metrics.imagesGenerated(generations.size());
    results.store(job, generations, runId)
        .handle((images, error) -> {
          if (error == null) {
            return (JobEvent) new JobEvent.Succeeded(job.id(), workerId, clock.instant(), images, inferenceMs, truncated);
          }
          Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
          String code = cause instanceof ResultStore.StorageUnavailableException ? "storage_unavailable" : "internal_error";
          return new JobEvent.Failed(job.id(), workerId, clock.instant(), code, cause.getMessage());
        })
        .thenCompose(event -> terminal(event).thenApply(v -> event))
        .whenComplete((event, e) -> {
          if (event instanceof JobEvent.Succeeded) {
            try (LogFields.Scope f = fields()) {
              LOG.info("job {} succeeded in {} ms", job.id(), inferenceMs);
            }
          }
          done(e);
        });
  }

  @Override
  public void failed(Throwable error) {
    try (LogFields.Scope f = fields()) {
      LOG.warn("job {} failed in the model: {}", job.id(), error.toString());
    }
    terminal(new JobEvent.Failed(job.id(), workerId, clock.instant(), "model_error", describe(error)))
        .whenComplete((v, e) -> done(e));
  }

  @Override
  public void expired() {
    terminal(new JobEvent.Expired(job.id(), workerId, clock.instant())).whenComplete((v, e) -> done(e));
  }

  @Override
  public void canceled(boolean whileRunning) {
    terminal(new JobEvent.Canceled(job.id(), workerId, clock.instant(), whileRunning)).whenComplete((v, e) -> done(e));
  }

  /**
   * Publishes a terminal event and retries until Kafka acknowledges it (a broker restart must not turn a
   * finished job into a failed or a lost one); the offset is committed only after that.
   */
  private CompletableFuture<Void> terminal(JobEvent event) {
    span.attribute("vegart.job_status", event.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    if (event instanceof JobEvent.Failed failed) {
      failure = failed.code();
    }
    return publishUntilAcknowledged(event, 1);
  }

  private CompletableFuture<Void> publishUntilAcknowledged(JobEvent event, int attempt) {
    return events.publish(event, trace)
        .handle((ok, error) -> {
          if (error == null) {
            return CompletableFuture.<Void>completedFuture(null);
          }
          if (attempt >= MAX_PUBLISH_ATTEMPTS) {
            return CompletableFuture.<Void>failedFuture(error);
          }
          long backoffMs = Math.min(30_000L, 1_000L << Math.min(attempt - 1, 5));
          try (LogFields.Scope f = fields()) {
            LOG.warn("job {}: {} event not acknowledged (attempt {}), retrying in {} ms: {}", job.id(),
                event.getClass().getSimpleName(), attempt, backoffMs, error.toString());
          }
          Executor later = CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS);
          return CompletableFuture.supplyAsync(() -> null, later).thenCompose(v -> publishUntilAcknowledged(event, attempt + 1));
        })
        .thenCompose(f -> f);
  }

  /** Commit only what is durable: an unpublished terminal event leaves the record to be redelivered. */
  private void done(Throwable error) {
    span.end(error == null ? failure : "terminal event not acknowledged");
    if (error == null) {
      onDurable.run();
    } else {
      try (LogFields.Scope f = fields()) {
        LOG.error("job {}: terminal event not acknowledged, the job will be redelivered: {}", job.id(), error.toString());
      }
    }
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + (message.length() > 300 ? message.substring(0, 300) : message));
  }
}
