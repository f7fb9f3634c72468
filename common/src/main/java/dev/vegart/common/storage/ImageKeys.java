package dev.vegart.common.storage;

import dev.vegart.common.job.OutputFormat;

/**
 * The S3 object key layout: {@code images/{job id}/{run id}/{index}.{ext}}. A run id is unique per
 * attempt, so two workers that both ran a redelivered job never overwrite each other: the gateway records
 * the first result it is told of, and only that one is ever shown.
 */
public final class ImageKeys {
  private ImageKeys() {}

  public static String image(String jobId, String runId, int index, OutputFormat format) {
    return "images/" + jobId + "/" + runId + "/" + index + "." + format.extension();
  }
}
