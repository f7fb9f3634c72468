package dev.vegart.worker.scheduling.internal;

import dev.vegart.worker.scheduling.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Batch-level batching as Triton, DJL Serving and Ray Serve do it: a subclass picks a batch of jobs of
 * one size and step count, which then runs text encode, every UNet step and decode before anything else
 * starts. Canceled or failed jobs leave the running batch at the next stage boundary.
 */
abstract class RunToCompletionPlanner implements BatchPlanner {
  /** Jobs picked to run together, and why now. */
  protected record Selection(List<Job> jobs, String reason) {}

  private final List<Item> running = new ArrayList<>();
  private String reason;

  /** The next batch to start, or empty to wait; the jobs are removed from the subclass's queue. */
  protected abstract Optional<Selection> select(long nowNanos);

  /** Removes a job from the subclass's queue if it is there. */
  protected abstract void dequeue(Job job);

  @Override
  public final Optional<Dispatch> next(long nowNanos) {
    if (running.isEmpty()) {
      Optional<Selection> selection = select(nowNanos);
      if (selection.isEmpty()) {
        return Optional.empty();
      }
      selection.get().jobs().forEach(job -> running.addAll(job.items()));
      reason = selection.get().reason();
    }
    List<Item> unencoded = running.stream().filter(i -> !i.encoded()).toList();
    if (!unencoded.isEmpty()) {
      return Optional.of(new Dispatch(Stage.TEXT_ENCODE, unencoded, reason));
    }
    List<Item> stepping = running.stream().filter(i -> !i.stepsDone()).toList();
    if (!stepping.isEmpty()) {
      return Optional.of(new Dispatch(Stage.UNET_STEP, stepping, "in_batch"));
    }
    var decoder = running.get(0).decoder();
    List<Item> decoding = running.stream().filter(i -> i.decoder() == decoder).toList();
    return Optional.of(new Dispatch(Stage.decodeWith(decoder), decoding, "in_batch"));
  }

  @Override
  public final void ran(Dispatch done, long nowNanos) {
    if (done.stage().isDecode()) {
      running.removeAll(done.items());
    }
  }

  @Override
  public final void remove(Job job) {
    running.removeIf(i -> i.job() == job);
    dequeue(job);
  }
}
