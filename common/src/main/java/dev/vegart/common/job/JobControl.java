package dev.vegart.common.job;

import java.time.Instant;

/**
 * A command about one job that every worker must hear, sent by a gateway on {@code vegart.job-control}
 * (key = job id). Workers read the whole topic (no consumer group), so the worker holding the job acts on it
 * and the others remember it in case the job reaches them later.
 *
 * @param jobId the job
 * @param action {@value #CANCEL}; workers ignore actions they do not know (forward compatible)
 * @param at when the gateway sent it
 */
public record JobControl(String jobId, String action, Instant at) {
  public static final String TOPIC = "vegart.job-control";
  public static final String CANCEL = "cancel";

  public static JobControl cancel(String jobId, Instant at) {
    return new JobControl(jobId, CANCEL, at);
  }
}
