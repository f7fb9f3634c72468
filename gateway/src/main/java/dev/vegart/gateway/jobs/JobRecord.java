package dev.vegart.gateway.jobs;

import dev.vegart.common.job.ImageResult;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.job.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * A job as recorded in PostgreSQL. Nullable components are absent until the job gets that far;
 * {@code cancelRequestedAt} is set when its owner asked to cancel it.
 */
public record JobRecord(
    JobRequest request,
    JobStatus status,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Long inferenceMs,
    Integer truncatedTokens,
    List<ImageResult> images,
    String errorCode,
    String errorMessage,
    Instant cancelRequestedAt) {

  public String id() {
    return request.id();
  }
}
