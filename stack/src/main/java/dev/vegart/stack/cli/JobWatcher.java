package dev.vegart.stack.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Follows a job to its end: through {@code GET /v1/jobs/{id}/events} (server-sent events), reconnecting when a
 * stream ends early, and polling {@code GET /v1/jobs/{id}} once a second when the stream cannot be had (an older
 * gateway, a proxy that buffers). Blocking.
 */
final class JobWatcher {
  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "expired", "canceled");
  private static final Duration POLL = Duration.ofSeconds(1);

  /** What the watcher saw; called on the watching thread. */
  interface Listener {
    void job(JsonObject job);

    void progress(int stepsDone, int stepsTotal);
  }

  private final ApiClient api;

  JobWatcher(ApiClient api) {
    this.api = api;
  }

  /** The job once it ended; fails with {@link Exit#UNAVAILABLE} if it has not after {@code timeout}. */
  JsonObject await(String jobId, Listener listener, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean streaming = true;
    while (System.nanoTime() < deadline) {
      if (streaming) {
        try {
          JsonObject ended = stream(jobId, listener, Duration.ofNanos(deadline - System.nanoTime()));
          if (ended != null) {
            return ended;
          }
        } catch (IOException | UncheckedIOException e) {
          streaming = false;
        } catch (CliException e) {
          if (e.exitCode() != Exit.REJECTED) {
            throw e;
          }
          streaming = false; // e.g. a gateway without the stream: the plain read tells a real 404 apart
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException(Exit.UNAVAILABLE, "interrupted");
        }
      } else {
        JsonObject job = api.json("GET", "/v1/jobs/" + jobId, null);
        listener.job(job);
        if (TERMINAL.contains(job.getString("status"))) {
          return job;
        }
        pause();
      }
    }
    throw new CliException(Exit.UNAVAILABLE, "job " + jobId + " has not ended after " + Durations.human(timeout.toSeconds())
        + "; check it later with: vegart jobs get " + jobId);
  }

  /** Reads one stream; the ended job, or null when the stream closed before the job ended. */
  private JsonObject stream(String jobId, Listener listener, Duration timeout) throws IOException, InterruptedException {
    try (Stream<String> lines = api.lines("/v1/jobs/" + jobId + "/events", timeout)) {
      String event = "message";
      StringBuilder data = new StringBuilder();
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          JsonObject ended = dispatch(event, data.toString(), listener);
          if (ended != null) {
            return ended;
          }
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).stripLeading());
        }
      }
      return null;
    }
  }

  private static JsonObject dispatch(String event, String data, Listener listener) {
    if (data.isEmpty()) {
      return null;
    }
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (DecodeException e) {
      return null;
    }
    if (event.equals("progress")) {
      listener.progress(json.getInteger("steps_done", 0), json.getInteger("steps_total", 0));
    } else if (event.equals("job")) {
      listener.job(json);
      if (TERMINAL.contains(json.getString("status"))) {
        return json;
      }
    }
    return null;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.UNAVAILABLE, "interrupted");
    }
  }
}
