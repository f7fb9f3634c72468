package dev.vegart.gateway.jobs;

import dev.vegart.common.ids.Ids;
import dev.vegart.common.job.JobControl;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.job.JobStatus;
import dev.vegart.gateway.api.IdempotencyKey;
import dev.vegart.gateway.api.JobWaiters;
import dev.vegart.gateway.api.LoadShedder;
import dev.vegart.gateway.api.QueueStats;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.kafka.ControlPublisher;
import dev.vegart.gateway.kafka.JobPublisher;
import dev.vegart.gateway.keys.ApiKey;
import dev.vegart.gateway.quota.Quota;
import dev.vegart.gateway.quota.QuotaExceededException;
import dev.vegart.gateway.webhooks.WebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the job endpoints ({@code /v1/jobs} and the Segmind-compatible one) do, independent of HTTP: admit
 * (load shedding, idempotency, quota, record, hand to Kafka), read with queue place, wait for the end,
 * cancel. Thread-safe.
 */
public final class JobService {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

  /**
   * The outcome of a submit.
   *
   * @param job the job as recorded (a fresh read for a replay)
   * @param replayed whether this is a replay of an earlier idempotent submit
   * @param usedAfter today's count after the reservation (-1 if unknown)
   * @param place a new job's queue place from the fleet figures its admission read (null for a replay)
   * @param webhook whether the request registered a webhook
   */
  public record Accepted(JobRecord job, boolean replayed, int usedAfter, JobView.QueuePlace place, boolean webhook) {
    static Accepted replay(JobRecord job) {
      return new Accepted(job, true, -1, null, false);
    }
  }

  private final JobStore store;
  private final PublishedMarks marks;
  private final JobPublisher publisher;
  private final ControlPublisher control;
  private final LoadShedder shedder;
  private final QueueStats stats;
  private final JobWaiters waiters;
  private final JobView view;
  private final WebhookRoutes webhooks;

  public JobService(JobStore store, JobPublisher publisher, ControlPublisher control, LoadShedder shedder, QueueStats stats,
      JobWaiters waiters, JobView view, WebhookRoutes webhooks) {
    this.store = store;
    this.marks = new PublishedMarks(store);
    this.publisher = publisher;
    this.control = control;
    this.shedder = shedder;
    this.stats = stats;
    this.waiters = waiters;
    this.view = view;
    this.webhooks = webhooks;
  }

  public JobView view() {
    return view;
  }

  public WebhookRoutes webhooks() {
    return webhooks;
  }

  /**
   * Admits a job for the key of {@code seen} (its quota as read at authentication). A replay of an earlier
   * idempotent submit returns that job before anything else (it is never shed nor charged); otherwise the load
   * shedder decides, then quota and record in one transaction, then Kafka. Fails with a {@link ProblemException} or {@link dev.vegart.gateway.quota.QuotaExceededException}.
   */
  public Future<Accepted> submit(Quota seen, SubmitRequest req, Optional<IdempotencyKey> idempotency) {
    ApiKey key = seen.key();
    Future<Optional<JobStore.Submission>> earlier = idempotency.isPresent()
        ? store.findIdempotent(key, idempotency.get()) : Future.succeededFuture(Optional.empty());
    return earlier.compose(found -> {
      if (found.isPresent()) {
        return replay(key, found.get().jobId());
      }
      // The count read at authentication is committed state: if the images did not fit then, refuse without
      // queueing on the key's quota row (a burst on an exhausted key would otherwise hold it and the pool). Only
      // the reservation below can grant, so this never lets more through.
      if (!seen.unlimited() && seen.remaining() < req.numImages()) {
        return Future.failedFuture(new QuotaExceededException(seen, req.numImages()));
      }
      return shedder.admit().compose(fleet -> record(key, req, idempotency, fleet));
    });
  }

  private Future<Accepted> record(ApiKey key, SubmitRequest req, Optional<IdempotencyKey> idempotency, QueueStats.Fleet fleet) {
    Instant now = Instant.now();
    JobRequest job = new JobRequest(Ids.job(), key.id(), req.prompt(), req.steps(), req.seed(), req.width(), req.height(),
        req.numImages(), req.outputFormat(), req.decoder(), now, req.deadline(now));
    // The webhook is recorded (after its SSRF check) before the job, so no status change can precede it.
    return webhooks.register(job.id(), key, req.webhook())
        .compose(v -> store.submit(key, job, idempotency).onFailure(e -> webhooks.forget(job.id())))
        .compose(submission -> {
      if (submission.replayed()) {
        webhooks.forget(job.id());
        return replay(key, submission.jobId());
      }
      LOG.info("job {} accepted for key {} ({} image(s), {} steps, {}x{})", job.id(), key.id(), job.numImages(),
          job.steps(), job.width(), job.height());
      JobRecord queued = new JobRecord(job, JobStatus.QUEUED, job.submittedAt(), null, null, null, null, List.of(), null, null, null);
      return handOver(job).map(v -> new Accepted(queued, false, submission.usedAfter(), lastInQueue(fleet, job), req.webhook() != null));
    });
  }

  private Future<Accepted> replay(ApiKey key, String jobId) {
    return owned(jobId, key).map(Accepted::replay);
  }

  /**
   * A new job is last in the queue: every image queued when its admission read the fleet figures (cached for
   * at most a second) is ahead of it. Taken from that figure rather than counted, since counting
   * costs a query that grows with the queue on every submit; a later read of the job counts exactly.
   */
  private static JobView.QueuePlace lastInQueue(QueueStats.Fleet fleet, JobRequest job) {
    return new JobView.QueuePlace(fleet.queuedImages(), fleet.etaSeconds(fleet.queuedImages(), job.numImages()));
  }

  /**
   * Publishes the recorded job and, once Kafka acknowledged it, leaves its published mark to {@link PublishedMarks}
   * (not awaited); if Kafka refuses it, takes the job back (deleted, refunded) and answers 503. A job
   * that cannot be taken back stays accepted: the outbox relay published it meanwhile, or will (the record is
   * durable), so the client gets its 202 and the charge stands.
   */
  private Future<Void> handOver(JobRequest job) {
    return publisher.publish(job)
        .onSuccess(v -> marks.add(job.id()))
        .recover(error -> {
          LOG.warn("job {} could not be handed to Kafka: {}", job.id(), error.toString());
          return store.withdraw(job.id())
              .recover(e -> Future.succeededFuture(false))
              .compose(withdrawn -> withdrawn
                  ? Future.failedFuture(ProblemException.unavailable("the job queue is unavailable; nothing was charged, retry later", 5))
                  : Future.succeededFuture());
        });
  }

  /** The job if the caller owns it; otherwise the same 404 as for a job that does not exist. */
  public Future<JobRecord> owned(String id, ApiKey key) {
    return store.find(id, key.id()).map(found -> found.orElseThrow(() -> ProblemException.notFound("job " + safe(id))));
  }

  /** The job's JSON; a queued job also gets its queue position and ETA, a job with a webhook its webhook_status. */
  public Future<JsonObject> render(JobRecord job) {
    return renderJob(job).compose(json -> withWebhook(job.id(), json));
  }

  /**
   * The answer to a submit, as {@link #render(JobRecord)} but without reading back what was just recorded: a new
   * job's queue place comes from its admission, and its webhook is looked up only when it registered one.
   */
  public Future<JsonObject> render(Accepted accepted) {
    if (accepted.replayed()) {
      return render(accepted.job());
    }
    JsonObject json = view.render(accepted.job(), accepted.place());
    return accepted.webhook() ? withWebhook(accepted.job().id(), json) : Future.succeededFuture(json);
  }

  private Future<JsonObject> withWebhook(String jobId, JsonObject json) {
    return webhooks.summary(jobId)
        .map(webhook -> JobView.withWebhook(json, webhook.orElse(null)))
        .recover(e -> Future.succeededFuture(json));
  }

  private Future<JsonObject> renderJob(JobRecord job) {
    if (job.status() != JobStatus.QUEUED) {
      return Future.succeededFuture(view.render(job));
    }
    return Future.all(stats.imagesAhead(job.id(), job.createdAt()), stats.fleet())
        .map(all -> {
          long ahead = all.resultAt(0);
          QueueStats.Fleet fleet = all.resultAt(1);
          return view.render(job, new JobView.QueuePlace(ahead, fleet.etaSeconds(ahead, job.request().numImages())));
        })
        .recover(e -> Future.succeededFuture(view.render(job)));
  }

  /** The job once it ended, or as it is after {@code wait} when it has not (a fresh read). */
  public Future<JobRecord> awaitEnd(JobRecord job, Duration wait) {
    if (job.status().terminal()) {
      return Future.succeededFuture(job);
    }
    return waiters.awaitEnd(job.id(), wait)
        .compose(ended -> ended.isPresent() ? Future.succeededFuture(ended.get()) : owned(job.id(), job.request().keyId()));
  }

  private Future<JobRecord> owned(String id, String keyId) {
    return store.find(id, keyId).map(found -> found.orElseThrow(() -> ProblemException.notFound("job " + safe(id))));
  }

  /**
   * Cancels the caller's job: queued ones end at once (refunded), running ones are stopped at the next step
   * boundary by the worker holding them. Completes with the job as it is now, or fails with 404 or 409 (the
   * job already ended) or 503 (the workers could not be told; retrying is safe).
   */
  public Future<JobRecord> cancel(String id, ApiKey key) {
    return store.cancel(id, key.id(), Instant.now()).compose(outcome -> switch (outcome) {
      case CANCELED -> {
        // A worker may hold the job already (its start not applied yet): tell it; the record is final either way.
        control.publish(JobControl.cancel(id, Instant.now()))
            .onFailure(e -> LOG.warn("job {} canceled, but the workers could not be told: {}", id, e.toString()));
        LOG.info("job {} canceled while queued, {} refunded", id, key.id());
        yield owned(id, key);
      }
      case REQUESTED -> control.publish(JobControl.cancel(id, Instant.now()))
          .recover(e -> Future.failedFuture(ProblemException.unavailable(
              "the cancel request could not reach the workers; retry the DELETE", 2)))
          .compose(v -> owned(id, key));
      case FINISHED -> owned(id, key).compose(job -> Future.failedFuture(ProblemException.of(409, "job-finished",
          "Job already finished", "job " + id + " already ended with status " + job.status().wire() + "; nothing to cancel")));
      case NOT_FOUND -> Future.failedFuture(ProblemException.notFound("job " + safe(id)));
    });
  }

  static String safe(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "..." : id;
  }
}
