package dev.vegart.worker.scheduling;

import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.internal.JobObserver;
import dev.vegart.worker.scheduling.internal.SchedulerCore;
import dev.vegart.worker.scheduling.internal.SchedulerMetrics;
import dev.vegart.worker.scheduling.sim.CostModel;
import dev.vegart.worker.scheduling.sim.Simulation;
import dev.vegart.worker.scheduling.sim.VirtualClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The production scheduler core on the fake device and a virtual clock, with helpers to script jobs. */
final class SimHarness {
  static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");
  static final CostModel MODEL = CostModel.h200();

  final VirtualClock clock = new VirtualClock(ORIGIN);
  final FakeDevice device = new FakeDevice(MODEL, clock);
  final Outcomes outcomes = new Outcomes(clock);
  final MeterRegistry registry;
  final SchedulerCore core;
  final Simulation simulation;
  final Map<String, Admission> admissions = new LinkedHashMap<>();
  final Map<String, Long> admittedAt = new LinkedHashMap<>();

  SimHarness(SchedulerConfig config) {
    this(config, new SimpleMeterRegistry());
  }

  SimHarness(SchedulerConfig config, MeterRegistry registry) {
    this.registry = registry;
    this.core = DeviceSchedulers.core(config, device, clock, new SchedulerMetrics(registry), JobObserver.NONE);
    this.simulation = new Simulation(core, clock);
  }

  static SchedulerConfig config(SchedulingPolicy policy) {
    return SchedulerConfig.defaults(policy);
  }

  static SchedulerConfig bucket(int maxBatch, long maxDelayMs) {
    return new SchedulerConfig(SchedulingPolicy.BUCKET, maxBatch, Duration.ofMillis(maxDelayMs), 16,
        SchedulerConfig.DEFAULT_DECODE_MAX_WAIT, null);
  }

  /** Schedules a job of {@code images} generations to arrive at {@code atMs}; deadline null for none. */
  Admission job(String id, double atMs, int images, int steps, int width, int height, Decoder decoder,
      Instant deadline) {
    List<Generation> generations = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      generations.add(new Generation(id + "-" + i, "prompt of " + id, id.hashCode() * 7L + i, steps, width, height,
          decoder));
    }
    Admission admission = new Admission(id, generations, deadline, outcomes.listenerFor(id));
    long at = Math.round(atMs * 1e6);
    admissions.put(id, admission);
    admittedAt.put(id, at);
    simulation.at(at, c -> c.admit(admission, at));
    return admission;
  }

  Admission job(String id, double atMs, int steps) {
    return job(id, atMs, 1, steps, 1024, 1024, Decoder.FULL, null);
  }

  void cancelAt(String id, double atMs) {
    simulation.at(Math.round(atMs * 1e6), c -> c.cancel(id));
  }

  void run() {
    simulation.run();
  }

  Instant instantAtMs(double ms) {
    return ORIGIN.plusNanos(Math.round(ms * 1e6));
  }

  /** Device calls that contain a generation of {@code jobId}. */
  List<FakeDevice.Call> callsOf(String jobId) {
    return device.calls.stream().filter(c -> c.ids().stream().anyMatch(id -> id.startsWith(jobId + "-"))).toList();
  }

  double latencyMs(String jobId) {
    return (outcomes.terminal(jobId).atNanos() - admittedAt.get(jobId)) / 1e6;
  }
}
