package dev.vegart.worker.scheduling.internal;

import dev.vegart.worker.scheduling.Admission;
import dev.vegart.worker.scheduling.DeviceScheduler;
import dev.vegart.worker.scheduling.SchedulerClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production driver of a {@link SchedulerCore}: one device thread runs the core; other threads hand it
 * admissions and cancellations through a command queue, which the thread applies between device calls
 * (hence at step boundaries). The thread sleeps when the core has nothing to run, until a command
 * arrives or the core's next wake-up time (a bucket delay or a deadline).
 */
public final class ThreadedDeviceScheduler implements DeviceScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadedDeviceScheduler.class);
  private static final long MAX_IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final SchedulerCore core;
  private final SchedulerClock clock;
  private final int maxQueuedImages;
  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Runnable> commands = new ArrayDeque<>();
  private final AtomicInteger waitingImages = new AtomicInteger();
  private int heldJobs;
  private volatile boolean accepting = true;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param coreFactory builds the core given the observer through which it reports job lifecycles to this driver
   */
  public ThreadedDeviceScheduler(Function<JobObserver, SchedulerCore> coreFactory, SchedulerClock clock,
      int maxQueuedImages, String threadName) {
    this.core = coreFactory.apply(new Counters());
    this.clock = clock;
    this.maxQueuedImages = maxQueuedImages;
    this.threadName = threadName;
  }

  @Override
  public void start() {
    lock.lock();
    try {
      if (thread != null) {
        throw new IllegalStateException("already started");
      }
      running = true;
      thread = new Thread(this::loop, threadName);
      thread.setDaemon(false);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean offer(Admission admission) {
    int images = admission.generations().size();
    lock.lock();
    try {
      if (!accepting || !running) {
        return false;
      }
      int waiting = waitingImages.get();
      // An oversized job is still taken when nothing waits, or it could never be admitted.
      if (waiting > 0 && waiting + images > maxQueuedImages) {
        return false;
      }
      waitingImages.addAndGet(images);
      heldJobs++;
      long offeredAt = clock.nanos();
      commands.add(() -> core.admit(admission, offeredAt));
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int freeSlots() {
    return accepting && running ? Math.max(0, maxQueuedImages - waitingImages.get()) : 0;
  }

  @Override
  public void cancel(String jobId) {
    command(() -> core.cancel(jobId));
  }

  @Override
  public boolean drain(Duration timeout) throws InterruptedException {
    accepting = false;
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (heldJobs > 0) {
        if (left <= 0 || !running) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      accepting = false;
      running = false;
      changed.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        // The device call in progress finishes; nothing new starts.
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void command(Runnable command) {
    lock.lock();
    try {
      commands.add(command);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (running) {
      for (Runnable command : takeCommands()) {
        command.run();
      }
      if (!running) {
        break;
      }
      boolean ran;
      try {
        ran = core.runOnce();
      } catch (RuntimeException e) {
        // A planner bug must not silently stop the device; log and keep serving the other jobs.
        LOG.error("device scheduler iteration failed", e);
        ran = false;
      }
      if (!ran) {
        idle();
      }
    }
  }

  private List<Runnable> takeCommands() {
    lock.lock();
    try {
      List<Runnable> out = new ArrayList<>(commands);
      commands.clear();
      return out;
    } finally {
      lock.unlock();
    }
  }

  private void idle() {
    long wait = Math.min(MAX_IDLE_WAIT_NANOS, Math.max(0, core.wakeAtNanos() - clock.nanos()));
    lock.lock();
    try {
      if (commands.isEmpty() && running && wait > 0) {
        changed.awaitNanos(wait);
      }
    } catch (InterruptedException e) {
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /** Keeps the counters behind {@link #freeSlots} and {@link #drain} in step with the core. */
  private final class Counters implements JobObserver {
    @Override
    public void started(Job job) {
      waitingImages.addAndGet(-job.images());
    }

    @Override
    public void ended(Job job, Outcome outcome) {
      lock.lock();
      try {
        if (!job.started()) {
          waitingImages.addAndGet(-job.images());
        }
        heldJobs--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
