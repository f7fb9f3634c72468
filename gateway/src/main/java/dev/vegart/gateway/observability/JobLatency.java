package dev.vegart.gateway.observability;

import dev.vegart.common.job.JobEvent;
import dev.vegart.common.json.Json;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;

/**
 * Observes {@code vegart_job_duration_seconds{status}} when this gateway's event consumer moved a job to a
 * terminal state (each terminal transition is applied exactly once fleet-wide, so no job is counted twice):
 * one small query for the job's submit time. Best effort: a failed lookup loses one observation, nothing else.
 */
final class JobLatency {
  private final Pool pool;
  private final GatewayMetrics metrics;

  JobLatency(Pool pool, GatewayMetrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
  }

  /** Called with a record value the applier reported as having changed its job. */
  void changed(byte[] value) {
    JobEvent event;
    try {
      event = Json.read(value, JobEvent.class);
    } catch (RuntimeException e) {
      // The applier has just read it; never let a metric disturb the consumer's retry logic.
      return;
    }
    status(event).ifPresent(status -> pool.preparedQuery("SELECT created_at FROM jobs WHERE id = $1")
        .execute(Tuple.of(event.jobId()))
        .onSuccess(rows -> {
          if (rows.size() == 1) {
            metrics.jobEnded(status, Duration.between(rows.iterator().next().getOffsetDateTime("created_at").toInstant(),
                event.at()));
          }
        }));
  }

  static Optional<String> status(JobEvent event) {
    if (event instanceof JobEvent.Succeeded) {
      return Optional.of("succeeded");
    }
    if (event instanceof JobEvent.Failed) {
      return Optional.of("failed");
    }
    if (event instanceof JobEvent.Canceled) {
      return Optional.of("canceled");
    }
    if (event instanceof JobEvent.Expired) {
      return Optional.of("expired");
    }
    return Optional.empty();
  }
}
