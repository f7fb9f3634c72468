package dev.vegart.worker.scheduling.internal;

import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;

/**
 * One image of a job as the scheduler tracks it. The scheduler counts steps itself rather than reading
 * the generation, so the same bookkeeping works whether the device is DJL or a cost model.
 */
public final class Item {
  private final Job job;
  private final Generation generation;
  private boolean encoded;
  private int stepsRun;
  private boolean decoded;
  private long finishedStepsNanos;

  Item(Job job, Generation generation) {
    this.job = job;
    this.generation = generation;
  }

  public Job job() {
    return job;
  }

  public Generation generation() {
    return generation;
  }

  public boolean encoded() {
    return encoded;
  }

  public int stepsRun() {
    return stepsRun;
  }

  public boolean stepsDone() {
    return stepsRun >= generation.steps();
  }

  public boolean decoded() {
    return decoded;
  }

  public Decoder decoder() {
    return generation.decoder();
  }

  public int width() {
    return generation.width();
  }

  public int height() {
    return generation.height();
  }

  /** When the last UNet step ended: the start of the wait for decode. */
  public long finishedStepsNanos() {
    return finishedStepsNanos;
  }

  void markEncoded() {
    encoded = true;
  }

  void markStepped(long nowNanos) {
    stepsRun++;
    if (stepsDone()) {
      finishedStepsNanos = nowNanos;
    }
  }

  void markDecoded() {
    decoded = true;
  }
}
