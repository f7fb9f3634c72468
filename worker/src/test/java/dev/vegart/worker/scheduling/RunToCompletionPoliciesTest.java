package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The none and bucket policies: group, wait, run to completion. */
class RunToCompletionPoliciesTest {

  @Test
  void bucketWaitsAtMostMaxDelayForBatchMatesAndGroupsByStepCount() {
    SimHarness sim = new SimHarness(SimHarness.bucket(8, 100));
    sim.job("a4", 0, 4);
    sim.job("b2", 10, 2);
    sim.job("c4", 50, 4);
    sim.run();

    FakeDevice.Call firstText = sim.device.calls.get(0);
    assertThat(firstText.stage()).isEqualTo(Stage.TEXT_ENCODE);
    assertThat(firstText.startNanos()).as("dispatched when the oldest waited max delay").isEqualTo(100_000_000L);
    assertThat(firstText.ids()).containsExactly("a4-0", "c4-0");
    assertThat(sim.callsOf("b2").get(0).startNanos()).as("runs after the first batch completes")
        .isGreaterThanOrEqualTo(sim.outcomes.terminal("a4").atNanos());
  }

  @Test
  void bucketDispatchesAFullBatchWithoutWaiting() {
    SimHarness sim = new SimHarness(SimHarness.bucket(2, 10_000));
    sim.job("a", 0, 4);
    sim.job("b", 5, 4);
    sim.run();

    assertThat(sim.device.calls.get(0).startNanos()).isEqualTo(5_000_000L);
    assertThat(sim.device.calls.get(0).ids()).containsExactly("a-0", "b-0");
  }

  @Test
  void aRunningBucketBatchFinishesBeforeTheNextStartsAndNewcomersWait() {
    SimHarness sim = new SimHarness(SimHarness.bucket(8, 0));
    sim.job("first", 0, 8);
    sim.job("newcomer", 1, 8);
    sim.run();

    assertThat(sim.callsOf("first")).allMatch(c -> !c.ids().contains("newcomer-0"));
    assertThat(sim.latencyMs("newcomer")).isGreaterThan(SimHarness.MODEL.pipelineMillis(1, 8, 1024, 1024) * 2 - 5);
  }

  @Test
  void noBatchingRunsOneJobAtATimeInArrivalOrder() {
    SimHarness sim = new SimHarness(SimHarness.config(SchedulingPolicy.NONE));
    sim.job("a", 0, 2);
    sim.job("b", 1, 8);
    sim.job("c", 2, 1);
    sim.run();

    assertThat(sim.device.calls).allMatch(c -> c.ids().size() == 1);
    List<String> order = sim.device.calls.stream().map(c -> c.ids().get(0)).distinct().toList();
    assertThat(order).containsExactly("a-0", "b-0", "c-0");
    assertThat(sim.latencyMs("a")).isCloseTo(SimHarness.MODEL.pipelineMillis(1, 2, 1024, 1024), within(0.01));
  }

  @Test
  void aFailingJobLeavesTheRunningBucketBatchAndItsMatesComplete() {
    SimHarness sim = new SimHarness(SimHarness.bucket(8, 10));
    sim.job("a", 0, 4);
    sim.job("poisoned", 0, 4);
    sim.device.poison("poisoned-0", Stage.UNET_STEP);
    sim.run();

    assertThat(sim.outcomes.terminal("poisoned").what()).isEqualTo("failed");
    assertThat(sim.outcomes.terminal("a").what()).isEqualTo("succeeded");
    assertThat(sim.callsOf("poisoned").stream().filter(c -> c.stage() == Stage.UNET_STEP).count())
        .as("the batch call and the isolating re-run, then it left the batch").isEqualTo(2);
  }
}
