package dev.vegart.worker.scheduling;

import java.util.List;
import dev.vegart.worker.pipeline.Generation;

/**
 * Outcome callbacks of one {@link Admission}, called on the scheduler's device thread: implementations must
 * return quickly and hand any slow work (encoding, upload, Kafka) to their own executors.
 * Exactly one of {@link #succeeded}, {@link #failed}, {@link #expired} or {@link #canceled} is called.
 */
public interface AdmissionListener {
  /** The first device stage of the job began. Called at most once, before {@link #succeeded}. */
  void started();

  /**
   * A UNet step of the job completed: {@code stepsDone} of {@code stepsTotal} for its slowest image. Called after
   * {@link #started} and before the outcome, possibly with a value it had already reported (images of one job may
   * step in different device calls). Defaults to nothing: progress is informational.
   */
  default void progress(int stepsDone, int stepsTotal) {}

  /** Every generation has its image. */
  void succeeded(List<Generation> generations);

  /** The job failed alone (its batch-mates are unaffected). */
  void failed(Throwable error);

  /** The deadline passed before the job started; it never ran. */
  void expired();

  /** The job was canceled; {@code whileRunning} tells whether it had started. */
  void canceled(boolean whileRunning);
}
