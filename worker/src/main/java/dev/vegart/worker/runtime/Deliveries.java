package dev.vegart.worker.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs this worker holds, and those it finished lately, by id: a second delivery of one of them is not run
 * again. Kafka delivers a job more than once when the outbox relay republished it while the gateway's own
 * publish was in flight, or after a rebalance hands a partition back from its last committed offset.
 *
 * <p>A duplicate's record must not be committed before the held copy's outcome is durable (a crash in between
 * would lose the job), so its completion waits for the held copy's. Thread-safe.
 */
final class Deliveries {
  private final Map<String, List<Runnable>> held = new ConcurrentHashMap<>();
  private final Map<String, Boolean> finished;

  Deliveries(int rememberFinished) {
    this.finished = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > rememberFinished;
      }
    };
  }

  /**
   * Whether {@code jobId} is held or was finished lately. If so, {@code onDurable} runs once the held copy's
   * outcome is durable, at once when it already is.
   */
  boolean duplicate(String jobId, Runnable onDurable) {
    boolean attached = held.computeIfPresent(jobId, (id, waiting) -> {
      waiting.add(onDurable);
      return waiting;
    }) != null;
    if (attached) {
      return true;
    }
    synchronized (finished) {
      if (!finished.containsKey(jobId)) {
        return false;
      }
    }
    onDurable.run();
    return true;
  }

  /** This worker now holds {@code jobId}. */
  void hold(String jobId) {
    held.put(jobId, new ArrayList<>());
  }

  /**
   * The job went back unrun (the scheduler was full; it is offered again later). Held and released on the
   * consumer thread, as duplicates are found, so none attached in between.
   */
  void release(String jobId) {
    held.remove(jobId);
  }

  /** The held copy's outcome is durable: the duplicates of it complete too. */
  void finished(String jobId) {
    synchronized (finished) {
      finished.put(jobId, Boolean.TRUE);
    }
    List<Runnable> waiting = held.remove(jobId);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }
}
