package dev.vegart.worker.scheduling.internal;

import java.util.Locale;

/** How a job left the scheduler; exactly one per admitted job. */
public enum Outcome {
  SUCCEEDED,
  FAILED,
  EXPIRED,
  CANCELED;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
