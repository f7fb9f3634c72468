package dev.vegart.worker.scheduling;

import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.sim.VirtualClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records every listener callback of every job, with the virtual time it came at. */
final class Outcomes {
  record Event(String what, long atNanos, Throwable error) {}

  private final VirtualClock clock;
  private final Map<String, List<Event>> events = new LinkedHashMap<>();

  Outcomes(VirtualClock clock) {
    this.clock = clock;
  }

  AdmissionListener listenerFor(String jobId) {
    List<Event> list = events.computeIfAbsent(jobId, k -> new ArrayList<>());
    return new AdmissionListener() {
      @Override
      public void started() {
        list.add(new Event("started", clock.nanos(), null));
      }

      @Override
      public void succeeded(List<Generation> generations) {
        list.add(new Event("succeeded", clock.nanos(), null));
      }

      @Override
      public void failed(Throwable error) {
        list.add(new Event("failed", clock.nanos(), error));
      }

      @Override
      public void expired() {
        list.add(new Event("expired", clock.nanos(), null));
      }

      @Override
      public void canceled(boolean whileRunning) {
        list.add(new Event(whileRunning ? "canceled_running" : "canceled_queued", clock.nanos(), null));
      }
    };
  }

  List<Event> of(String jobId) {
    return events.getOrDefault(jobId, List.of());
  }

  /** The one terminal event of a job; fails if there is not exactly one, or if it precedes a start. */
  Event terminal(String jobId) {
    List<Event> terminal = of(jobId).stream().filter(e -> !e.what().equals("started")).toList();
    if (terminal.size() != 1) {
      throw new AssertionError("job " + jobId + " has " + terminal.size() + " outcomes: " + of(jobId));
    }
    List<Event> all = of(jobId);
    if (all.get(all.size() - 1) != terminal.get(0)) {
      throw new AssertionError("job " + jobId + " reported something after its outcome: " + all);
    }
    return terminal.get(0);
  }

  /** When the job started, or -1. */
  long startedAt(String jobId) {
    List<Event> started = of(jobId).stream().filter(e -> e.what().equals("started")).toList();
    if (started.size() > 1) {
      throw new AssertionError("job " + jobId + " started twice");
    }
    return started.isEmpty() ? -1 : started.get(0).atNanos();
  }

  Map<String, List<Event>> all() {
    return events;
  }
}
