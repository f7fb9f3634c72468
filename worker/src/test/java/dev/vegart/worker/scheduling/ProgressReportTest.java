package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AdmissionListener#progress}: after every UNet step, between the start and the outcome, per job. */
class ProgressReportTest {
  private final SimHarness sim = new SimHarness(SimHarness.config(SchedulingPolicy.CONTINUOUS));

  @Test
  void reportsEveryStepBetweenStartAndSuccess() {
    List<String> seen = admit("solo", 0, 1, 4);
    sim.run();

    assertThat(seen).containsExactly("started", "1/4", "2/4", "3/4", "4/4", "succeeded");
  }

  @Test
  void eachJobOfASharedBatchGetsItsOwnCountAndTotal() {
    List<String> longer = admit("long", 0, 1, 8);
    List<String> shorter = admit("short", 20, 2, 2);
    sim.run();

    assertThat(shorter).startsWith("started").endsWith("2/2", "succeeded");
    assertThat(shorter.stream().filter(s -> s.endsWith("/2"))).isNotEmpty().allMatch(s -> !s.startsWith("0"));
    assertThat(longer).endsWith("8/8", "succeeded");
    assertThat(steps(longer)).isSorted();
    assertThat(steps(shorter)).isSorted();
  }

  private List<String> admit(String id, double atMs, int images, int steps) {
    List<String> seen = new ArrayList<>();
    List<Generation> generations = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      generations.add(new Generation(id + "-" + i, "prompt of " + id, 7L + i, steps, 1024, 1024, Decoder.FULL));
    }
    Admission admission = new Admission(id, generations, null, new AdmissionListener() {
      @Override
      public void started() {
        seen.add("started");
      }

      @Override
      public void progress(int stepsDone, int stepsTotal) {
        seen.add(stepsDone + "/" + stepsTotal);
      }

      @Override
      public void succeeded(List<Generation> done) {
        seen.add("succeeded");
      }

      @Override
      public void failed(Throwable error) {
        seen.add("failed");
      }

      @Override
      public void expired() {
        seen.add("expired");
      }

      @Override
      public void canceled(boolean whileRunning) {
        seen.add("canceled");
      }
    });
    long at = Math.round(atMs * 1e6);
    sim.simulation.at(at, c -> c.admit(admission, at));
    return seen;
  }

  private static List<Integer> steps(List<String> seen) {
    return seen.stream().filter(s -> s.contains("/")).map(s -> Integer.parseInt(s.substring(0, s.indexOf('/')))).toList();
  }
}
