package dev.vegart.worker.scheduling;

import dev.vegart.worker.pipeline.Generation;
import java.time.Instant;
import java.util.List;

/**
 * A job handed to the device scheduler: one {@link Generation} per image (all of one size and step
 * count), the deadline after which it must not start, and where to report what happened.
 *
 * @param jobId the job id
 * @param generations the images to make, in index order
 * @param deadline not started by then means expired; null for none
 * @param listener told exactly once of the outcome (and once of the start, if it starts)
 */
public record Admission(String jobId, List<Generation> generations, Instant deadline, AdmissionListener listener) {
  public Admission {
    generations = List.copyOf(generations);
    if (generations.isEmpty()) {
      throw new IllegalArgumentException("an admission needs at least one generation");
    }
  }

  public int width() {
    return generations.get(0).width();
  }

  public int height() {
    return generations.get(0).height();
  }
}
