package dev.vegart.worker.scheduling.internal;

import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.Admission;
import dev.vegart.worker.scheduling.SchedulerClock;
import dev.vegart.worker.scheduling.Stage;
import dev.vegart.worker.scheduling.StageExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.IntBinaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler proper, shared by production and simulation: holds admitted jobs, asks the
 * {@link BatchPlanner} what to run, runs it on the {@link StageExecutor}, advances item state, and
 * reports each job's outcome exactly once. Drivers differ only in how they wait and feed it: a device
 * thread in production, an event loop on a virtual clock in simulation.
 *
 * <p>Not thread-safe: one driver thread calls every method. Anything called between two {@link #runOnce}
 * calls (admit, cancel) therefore lands at a stage boundary.
 */
public final class SchedulerCore {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerCore.class);

  private final BatchPlanner planner;
  private final StageExecutor executor;
  private final SchedulerClock clock;
  private final SchedulerMetrics metrics;
  private final IntBinaryOperator maxBatch;
  private final JobObserver observer;
  private final Map<String, Job> jobs = new HashMap<>();
  private final PriorityQueue<Job> deadlines = new PriorityQueue<>(Comparator.comparingLong(Job::deadlineNanos));

  /**
   * @param maxBatch largest batch per (width, height); 0 means that size does not fit the device at all
   */
  public SchedulerCore(BatchPlanner planner, StageExecutor executor, SchedulerClock clock,
      SchedulerMetrics metrics, IntBinaryOperator maxBatch, JobObserver observer) {
    this.planner = planner;
    this.executor = executor;
    this.clock = clock;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.observer = observer;
  }

  /** Takes a job admitted at {@code admittedNanos} (when it was offered, on the scheduler clock). */
  public void admit(Admission admission, long admittedNanos) {
    Job job = new Job(admission, admittedNanos, deadlineNanos(admission));
    String problem = problemWith(job);
    if (problem != null) {
      end(job, Outcome.FAILED, new IllegalArgumentException(problem));
      return;
    }
    jobs.put(job.id(), job);
    if (job.deadlineNanos() != Long.MAX_VALUE) {
      deadlines.add(job);
    }
    planner.add(job);
  }

  private String problemWith(Job job) {
    if (jobs.containsKey(job.id())) {
      return "job " + job.id() + " is already admitted";
    }
    for (Generation g : job.admission().generations()) {
      if (g.width() != job.width() || g.height() != job.height() || g.steps() != job.steps()) {
        return "job " + job.id() + " mixes sizes or step counts";
      }
      if (g.steps() < 1) {
        return "job " + job.id() + " has " + g.steps() + " steps; at least 1 is needed";
      }
    }
    if (maxBatch.applyAsInt(job.width(), job.height()) < 1) {
      return "a " + job.width() + "x" + job.height() + " image does not fit the GPU memory budget";
    }
    return null;
  }

  private long deadlineNanos(Admission admission) {
    if (admission.deadline() == null) {
      return Long.MAX_VALUE;
    }
    try {
      return Math.addExact(clock.nanos(), Duration.between(clock.instant(), admission.deadline()).toNanos());
    } catch (ArithmeticException farAway) {
      return Long.MAX_VALUE;
    }
  }

  /** Cancels a held job (dropped if queued, stopped if running); unknown or finished ids are ignored. */
  public void cancel(String jobId) {
    Job job = jobs.get(jobId);
    if (job != null) {
      end(job, Outcome.CANCELED, null);
    }
  }

  /** Runs one device call if one is due; false when there is nothing to run now. */
  public boolean runOnce() {
    long now = clock.nanos();
    expire(now);
    Optional<Dispatch> next = planner.next(now);
    if (next.isEmpty()) {
      return false;
    }
    execute(next.get());
    return true;
  }

  /** When to call {@link #runOnce} again if nothing arrives: a batch delay or a deadline; MAX_VALUE for never. */
  public long wakeAtNanos() {
    dropStaleDeadlines();
    long deadline = deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.peek().deadlineNanos();
    return Math.min(deadline, planner.wakeAtNanos());
  }

  /** Jobs admitted and not yet ended. */
  public int heldJobs() {
    return jobs.size();
  }

  private void expire(long now) {
    dropStaleDeadlines();
    while (!deadlines.isEmpty() && deadlines.peek().deadlineNanos() <= now) {
      end(deadlines.poll(), Outcome.EXPIRED, null);
      dropStaleDeadlines();
    }
  }

  private void dropStaleDeadlines() {
    while (!deadlines.isEmpty() && (deadlines.peek().started() || deadlines.peek().ended())) {
      deadlines.poll();
    }
  }

  private void execute(Dispatch dispatch) {
    long now = clock.nanos();
    for (Job job : jobsOf(dispatch.items())) {
      if (!job.started()) {
        start(job, now);
      }
    }
    List<Item> done = new ArrayList<>();
    Map<Job, Throwable> failed = new LinkedHashMap<>();
    Throwable error = call(dispatch.stage(), dispatch.items(), dispatch.reason());
    if (error == null) {
      done.addAll(dispatch.items());
    } else {
      isolate(dispatch, error, done, failed);
    }
    long end = clock.nanos();
    for (Item item : done) {
      advance(item, dispatch.stage(), end);
    }
    failed.forEach((job, e) -> end(job, Outcome.FAILED, e));
    if (dispatch.stage() == Stage.UNET_STEP) {
      jobsOf(done).forEach(SchedulerCore::reportProgress);
    }
    if (!done.isEmpty()) {
      planner.ran(new Dispatch(dispatch.stage(), done, dispatch.reason()), end);
    }
    if (dispatch.stage().isDecode()) {
      for (Job job : jobsOf(done)) {
        if (job.allDecoded()) {
          end(job, Outcome.SUCCEEDED, null);
        }
      }
    }
  }

  /** A batch call failed: re-run it one job at a time so only the job that fails on its own fails. */
  private void isolate(Dispatch dispatch, Throwable error, List<Item> done, Map<Job, Throwable> failed) {
    Set<Job> jobsInCall = jobsOf(dispatch.items());
    if (jobsInCall.size() == 1) {
      failed.put(jobsInCall.iterator().next(), error);
      return;
    }
    LOG.warn("{} call of {} jobs failed; re-running each job alone: {}", dispatch.stage().tag(), jobsInCall.size(),
        error.toString());
    for (Job job : jobsInCall) {
      List<Item> own = dispatch.items().stream().filter(i -> i.job() == job).toList();
      Throwable alone = call(dispatch.stage(), own, "isolate_failure");
      if (alone == null) {
        done.addAll(own);
      } else {
        failed.put(job, alone);
      }
    }
  }

  private Throwable call(Stage stage, List<Item> items, String reason) {
    List<Generation> batch = items.stream().map(Item::generation).toList();
    long t0 = clock.nanos();
    Throwable error = null;
    try {
      executor.run(stage, batch);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = e;
    } catch (Throwable e) {
      error = e;
    }
    metrics.call(stage, reason, items.size(), clock.nanos() - t0);
    return error;
  }

  private static void advance(Item item, Stage stage, long now) {
    switch (stage) {
      case TEXT_ENCODE -> item.markEncoded();
      case UNET_STEP -> item.markStepped(now);
      case DECODE_FULL, DECODE_FAST -> item.markDecoded();
    }
  }

  private void start(Job job, long now) {
    job.markStarted();
    metrics.queueWait(now - job.admittedNanos());
    observer.started(job);
    tell(job, "started", () -> job.admission().listener().started());
  }

  private void end(Job job, Outcome outcome, Throwable error) {
    if (job.ended()) {
      return;
    }
    job.markEnded();
    if (jobs.get(job.id()) == job) {
      jobs.remove(job.id());
      planner.remove(job);
    }
    metrics.ended(outcome);
    var listener = job.admission().listener();
    switch (outcome) {
      case SUCCEEDED -> tell(job, "succeeded", () -> listener.succeeded(job.admission().generations()));
      case FAILED -> tell(job, "failed", () -> listener.failed(error));
      case EXPIRED -> tell(job, "expired", listener::expired);
      case CANCELED -> tell(job, "canceled", () -> listener.canceled(job.started()));
    }
    observer.ended(job, outcome);
  }

  private static void reportProgress(Job job) {
    int slowest = job.items().stream().mapToInt(Item::stepsRun).min().orElse(0);
    tell(job, "progress", () -> job.admission().listener().progress(slowest, job.steps()));
  }

  /** A listener that throws must not take the device thread (and every other job) down with it. */
  private static void tell(Job job, String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.error("listener of job {} threw on {}", job.id(), what, e);
    }
  }

  private static Set<Job> jobsOf(List<Item> items) {
    Set<Job> out = new LinkedHashSet<>();
    for (Item item : items) {
      out.add(item.job());
    }
    return out;
  }
}
