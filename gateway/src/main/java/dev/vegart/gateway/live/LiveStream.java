package dev.vegart.gateway.live;

import dev.vegart.common.job.JobEvent;
import dev.vegart.common.job.JobStatus;
import dev.vegart.gateway.jobs.JobRecord;
import dev.vegart.gateway.jobs.JobService;
import dev.vegart.gateway.keys.ApiKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open event stream. Three sources feed it: the live reader (progress, and a nudge to re-read on any status
 * event), the job waiters (the end, woken by PostgreSQL's NOTIFY), and a periodic re-read (queue position, ETA,
 * and anything the other two missed). Status never goes backwards on the stream, whatever order the reads
 * complete in. Confined to the request's event loop: every callback, timer and future below runs there.
 */
final class LiveStream {
  private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final JobService jobs;
  private final ApiKey key;
  private final JobRecord initial;
  private final StreamSettings settings;
  private LiveEvents.Subscription subscription;
  private long refreshTimer = -1;
  private long heartbeatTimer = -1;
  private boolean refreshing;
  private boolean ended;
  private String lastJob;
  private int lastRank = -1;
  private int lastStep = -1;
  /** Live events that arrived before the first {@code job} event went out; replayed right after it. */
  private List<JobEvent> early = new ArrayList<>();

  LiveStream(Vertx vertx, HttpServerResponse response, JobService jobs, ApiKey key, JobRecord initial, StreamSettings settings) {
    this.vertx = vertx;
    this.response = response;
    this.jobs = jobs;
    this.key = key;
    this.initial = initial;
    this.settings = settings;
  }

  void open(LiveEvents live) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> stop());
    response.exceptionHandler(e -> stop());
    subscription = live.subscribe(vertx, initial.id(), this::onLive);
    write(Sse.retry(2000));
    if (initial.status().terminal()) {
      show(initial).onComplete(v -> finish());
      return;
    }
    show(initial).onComplete(v -> {
      List<JobEvent> pending = early;
      early = null;
      pending.forEach(this::onLive);
    });
    jobs.awaitEnd(initial, settings.maxDuration())
        .compose(this::show)
        .onComplete(v -> finish());
    refreshTimer = vertx.setPeriodic(settings.refresh().toMillis(), id -> refresh());
    heartbeatTimer = vertx.setPeriodic(settings.heartbeat().toMillis(), id -> write(Sse.comment("keep-alive")));
  }

  private void onLive(JobEvent event) {
    if (ended) {
      return;
    }
    if (early != null) {
      early.add(event); // the stream's first event is the job itself
      return;
    }
    if (event instanceof JobEvent.Progress p) {
      progress(p.stepsDone(), p.stepsTotal());
    } else if (event instanceof JobEvent.Started) {
      progress(0, initial.request().steps());
      refresh();
    } else {
      refresh(); // an end: the waiters will have it too; whichever read sees it first shows it
    }
  }

  private void progress(int done, int total) {
    if (done <= lastStep || lastRank > rank(JobStatus.RUNNING) || response.writeQueueFull()) {
      return;
    }
    lastStep = done;
    write(Sse.event("progress", new JsonObject().put("id", initial.id()).put("status", "running")
        .put("steps_done", done).put("steps_total", total).encode()));
  }

  private void refresh() {
    if (ended || refreshing) {
      return;
    }
    refreshing = true;
    jobs.owned(initial.id(), key)
        .compose(job -> show(job).map(job))
        .onComplete(ar -> {
          refreshing = false;
          if (ar.succeeded() && ar.result().status().terminal()) {
            finish();
          } else if (ar.failed()) {
            LOG.debug("event stream of job {}: re-read failed, the next one retries: {}", initial.id(), ar.cause().toString());
          }
        });
  }

  /** Sends the job unless it is unchanged or older than what the stream already showed. */
  private Future<Void> show(JobRecord job) {
    return jobs.render(job).map(json -> {
      int rank = rank(job.status());
      String text = json.encode();
      if (!ended && rank >= lastRank && !text.equals(lastJob)) {
        lastRank = rank;
        lastJob = text;
        write(Sse.event("job", text));
      }
      return null;
    });
  }

  private static int rank(JobStatus status) {
    return status.terminal() ? 2 : status == JobStatus.RUNNING ? 1 : 0;
  }

  private void write(String text) {
    if (!ended && !response.closed()) {
      response.write(text);
    }
  }

  /** The job ended (or the stream's time is up): last words were written, close it. */
  private void finish() {
    if (!ended) {
      stop();
      if (!response.closed()) {
        response.end();
      }
    }
  }

  /** Releases the timers and the subscription; the client is gone or the stream is over. */
  private void stop() {
    ended = true;
    vertx.cancelTimer(refreshTimer);
    vertx.cancelTimer(heartbeatTimer);
    if (subscription != null) {
      subscription.cancel();
    }
  }
}
