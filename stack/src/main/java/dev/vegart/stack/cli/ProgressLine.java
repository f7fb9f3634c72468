package dev.vegart.stack.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/**
 * The progress line of {@code vegart generate} on standard error: rewritten in place on a terminal, one line per
 * change otherwise (logs and pipes stay readable). Standard output is left to the results.
 */
final class ProgressLine implements JobWatcher.Listener {
  private static final int BAR = 20;
  private final PrintStream err;
  private final boolean interactive;
  private final String jobId;
  private String last = "";
  private int width;

  ProgressLine(PrintStream err, boolean interactive, String jobId) {
    this.err = err;
    this.interactive = interactive;
    this.jobId = jobId;
  }

  @Override
  public void job(JsonObject job) {
    String status = job.getString("status", "?");
    switch (status) {
      case "queued" -> {
        Long ahead = job.getLong("queue_position");
        Long eta = job.getLong("eta_seconds");
        show("queued" + (ahead == null ? "" : ": " + ahead + " image(s) ahead")
            + (eta == null ? "" : ", about " + Durations.human(eta) + " to go"));
      }
      case "running" -> {
        if (!last.startsWith("running")) {
          show("running");
        }
      }
      case "succeeded" -> show("succeeded: inference " + job.getLong("inference_ms", 0L) + " ms, queued "
          + job.getLong("queue_ms", 0L) + " ms");
      default -> {
        JsonObject error = job.getJsonObject("error", new JsonObject());
        show(status + ": " + error.getString("message", error.getString("code", "no reason given")));
      }
    }
  }

  @Override
  public void progress(int stepsDone, int stepsTotal) {
    int filled = stepsTotal <= 0 ? 0 : Math.min(BAR, stepsDone * BAR / stepsTotal);
    show("running: step " + stepsDone + "/" + stepsTotal + " [" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]");
  }

  private void show(String text) {
    if (text.equals(last)) {
      return;
    }
    last = text;
    String line = "job " + jobId + " " + text;
    if (interactive) {
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** Ends the in-place line so what follows starts on its own line. */
  void close() {
    if (interactive && width > 0) {
      err.println();
    }
  }
}
