package dev.vegart.gateway.api;

import dev.vegart.gateway.http.ProblemException;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Refuses new jobs while the backlog exceeds {@code VEGART_MAX_BACKLOG_SECONDS} of GPU work (queued images at
 * the fleet's measured throughput), before any quota is charged: 503 with {@code Retry-After} = the excess,
 * between 1 s and 5 min. Thread-safe.
 */
public final class LoadShedder {
  private final QueueStats stats;
  private final int maxBacklogSeconds;

  public LoadShedder(QueueStats stats, int maxBacklogSeconds) {
    this.stats = stats;
    this.maxBacklogSeconds = maxBacklogSeconds;
  }

  /** Succeeds, with the fleet figures it judged by, when a new job may be admitted; fails with the 503 problem otherwise. */
  public Future<QueueStats.Fleet> admit() {
    return stats.fleet().compose(fleet -> {
      double backlog = fleet.backlogSeconds();
      if (backlog <= maxBacklogSeconds) {
        return Future.succeededFuture(fleet);
      }
      long retry = Math.max(1, Math.min(300, (long) Math.ceil(backlog - maxBacklogSeconds)));
      return Future.failedFuture(new ProblemException(503, "overloaded", "Too much work queued",
          String.format("the queue holds about %.0f seconds of work, more than the %d this service accepts; nothing was "
              + "charged, retry later", backlog, maxBacklogSeconds),
          List.of(), Map.of("Retry-After", Long.toString(retry))));
    });
  }
}
