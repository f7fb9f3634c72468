package dev.vegart.worker.scheduling.bench;

import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.Admission;
import dev.vegart.worker.scheduling.AdmissionListener;
import dev.vegart.worker.scheduling.DeviceSchedulers;
import dev.vegart.worker.scheduling.SchedulerConfig;
import dev.vegart.worker.scheduling.Stage;
import dev.vegart.worker.scheduling.internal.JobObserver;
import dev.vegart.worker.scheduling.internal.SchedulerCore;
import dev.vegart.worker.scheduling.internal.SchedulerMetrics;
import dev.vegart.worker.scheduling.sim.CostModel;
import dev.vegart.worker.scheduling.sim.SimulatedDevice;
import dev.vegart.worker.scheduling.sim.Simulation;
import dev.vegart.worker.scheduling.sim.VirtualClock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one policy over one workload: the production scheduler core on the simulated device. The first
 * {@code warmupShare} of requests fill the system and are left out of the statistics.
 */
final class SimulatedRun {
  private static final double WARMUP_SHARE = 0.1;

  private SimulatedRun() {}

  static RunResult run(SchedulerConfig config, CostModel model, Workload workload) {
    VirtualClock clock = new VirtualClock(Instant.EPOCH);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SchedulerMetrics metrics = new SchedulerMetrics(registry);
    SchedulerCore core = DeviceSchedulers.core(config, new SimulatedDevice(model, clock), clock, metrics,
        JobObserver.NONE);
    Simulation simulation = new Simulation(core, clock);
    List<Workload.Request> requests = workload.requests();
    long[] doneAt = new long[requests.size()];
    Arrays.fill(doneAt, -1);
    for (Workload.Request r : requests) {
      Generation g = new Generation("g" + r.index(), "a photo of a cat", r.index(), r.steps(),
          r.size().width(), r.size().height(), Decoder.FULL);
      Admission admission = new Admission("j" + r.index(), List.of(g), null, new Recorder(doneAt, r.index(), clock));
      simulation.at(r.arrivalNanos(), c -> c.admit(admission, r.arrivalNanos()));
    }
    simulation.run();
    return summarize(requests, doneAt, registry, metrics, clock.nanos());
  }

  private static RunResult summarize(List<Workload.Request> requests, long[] doneAt, SimpleMeterRegistry registry,
      SchedulerMetrics metrics, long endNanos) {
    int first = (int) (requests.size() * WARMUP_SHARE);
    long windowStart = requests.get(first).arrivalNanos();
    long windowEnd = requests.get(requests.size() - 1).arrivalNanos();
    int completedInWindow = 0;
    double[] latencies = new double[requests.size() - first];
    for (int i = 0; i < requests.size(); i++) {
      if (doneAt[i] < 0) {
        throw new IllegalStateException("request " + i + " never completed");
      }
      if (doneAt[i] >= windowStart && doneAt[i] <= windowEnd) {
        completedInWindow++;
      }
      if (i >= first) {
        latencies[i - first] = (doneAt[i] - requests.get(i).arrivalNanos()) / 1e6;
      }
    }
    Arrays.sort(latencies);
    return new RunResult(
        completedInWindow / ((windowEnd - windowStart) / 1e9),
        percentile(latencies, 0.50),
        percentile(latencies, 0.95),
        percentile(latencies, 0.99),
        meanBatch(registry, Stage.UNET_STEP),
        meanBatch(registry, Stage.DECODE_FULL),
        metrics.busyNanos() / (double) endNanos);
  }

  private static double meanBatch(SimpleMeterRegistry registry, Stage stage) {
    DistributionSummary s = registry.find("vegart.worker.batch.size").tag("stage", stage.tag()).summary();
    return s == null ? 0 : s.mean();
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private record Recorder(long[] doneAt, int index, VirtualClock clock) implements AdmissionListener {
    @Override
    public void started() {}

    @Override
    public void succeeded(List<Generation> generations) {
      doneAt[index] = clock.nanos();
    }

    @Override
    public void failed(Throwable error) {
      throw new IllegalStateException("simulated job failed", error);
    }

    @Override
    public void expired() {
      throw new IllegalStateException("simulated job expired");
    }

    @Override
    public void canceled(boolean whileRunning) {
      throw new IllegalStateException("simulated job canceled");
    }
  }
}
