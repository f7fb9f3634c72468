package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vegart.common.job.Decoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour specific to step-level continuous batching, on the virtual clock with the H200 cost model. */
class ContinuousBatchingTest {
  private final SimHarness sim = new SimHarness(SimHarness.config(SchedulingPolicy.CONTINUOUS));

  @Test
  void aLoneRequestTakesExactlyTheBatchOfOnePipelineTime() {
    sim.job("alone", 0, 4);
    sim.run();

    assertThat(sim.latencyMs("alone")).isCloseTo(SimHarness.MODEL.pipelineMillis(1, 4, 1024, 1024), within(0.01));
  }

  @Test
  void aNewcomerJoinsTheRunningBatchAtTheNextStepWithItsOwnStepCount() {
    sim.job("long", 0, 8);
    sim.job("late", 20, 2);
    sim.run();

    List<FakeDevice.Call> shared = sim.device.calls.stream()
        .filter(c -> c.stage() == Stage.UNET_STEP && c.ids().containsAll(List.of("long-0", "late-0")))
        .toList();
    assertThat(shared).hasSize(2);
    assertThat(sim.latencyMs("late")).as("did not wait for the 8-step job to finish")
        .isLessThan(sim.latencyMs("long"));
  }

  @Test
  void cancelTakesEffectAtTheNextStepBoundaryAndBatchMatesComplete() {
    sim.job("victim", 0, 8);
    sim.job("mate", 0, 8);
    double cancelAtMs = 60;
    sim.cancelAt("victim", cancelAtMs);
    sim.run();

    long cancelAt = Math.round(cancelAtMs * 1e6);
    List<FakeDevice.Call> victimCalls = sim.callsOf("victim");
    assertThat(victimCalls).allMatch(c -> c.startNanos() < cancelAt);
    assertThat(victimCalls.get(victimCalls.size() - 1).endNanos()).as("the call in progress finished")
        .isGreaterThan(cancelAt);
    assertThat(victimCalls.stream().filter(c -> c.stage() == Stage.UNET_STEP).count()).isBetween(1L, 7L);
    assertThat(sim.outcomes.terminal("victim").what()).isEqualTo("canceled_running");
    assertThat(sim.outcomes.terminal("victim").atNanos()).isEqualTo(victimCalls.get(victimCalls.size() - 1).endNanos());
    assertThat(sim.outcomes.terminal("mate").what()).isEqualTo("succeeded");
    assertThat(sim.device.output("mate-0")).isEqualTo(FakeDevice.expectedOutput(sim.admissions.get("mate").generations().get(0)));
  }

  @Test
  void aQueuedJobCanceledBeforeItStartsNeverRuns() {
    sim.job("running", 0, 8);
    sim.job("queued", 1, 1, 4, 1024, 1024, Decoder.FULL, sim.instantAtMs(100_000));
    sim.cancelAt("queued", 1);
    sim.run();

    assertThat(sim.outcomes.terminal("queued").what()).isEqualTo("canceled_queued");
    assertThat(sim.callsOf("queued")).isEmpty();
  }

  @Test
  void aJobThatFailsInTheModelFailsAloneAndTheWorkerKeepsServing() {
    sim.job("a", 0, 4);
    sim.job("poisoned", 0, 4);
    sim.job("b", 0, 4);
    sim.job("later", 1000, 2);
    sim.device.poison("poisoned-0", Stage.UNET_STEP);
    sim.run();

    assertThat(sim.outcomes.terminal("poisoned").what()).isEqualTo("failed");
    assertThat(sim.outcomes.terminal("poisoned").error()).hasMessageContaining("out of memory");
    for (String id : List.of("a", "b", "later")) {
      assertThat(sim.outcomes.terminal(id).what()).as(id).isEqualTo("succeeded");
      assertThat(sim.device.output(id + "-0")).isEqualTo(FakeDevice.expectedOutput(sim.admissions.get(id).generations().get(0)));
    }
    assertThat(sim.device.violations).isEmpty();
  }

  @Test
  void aFailedDecodeFailsOnlyItsJob() {
    sim.job("a", 0, 2);
    sim.job("poisoned", 0, 2);
    sim.device.poison("poisoned-0", Stage.DECODE_FULL);
    sim.run();

    assertThat(sim.outcomes.terminal("poisoned").what()).isEqualTo("failed");
    assertThat(sim.outcomes.terminal("a").what()).isEqualTo("succeeded");
  }

  @Test
  void mixedStepCountsShareUnetCallsAndStepsAreCountedPerRequest() {
    for (int steps = 1; steps <= 8; steps++) {
      sim.job("s" + steps, 0, steps);
    }
    sim.run();

    FakeDevice.Call firstStep = sim.device.calls.stream().filter(c -> c.stage() == Stage.UNET_STEP).findFirst().orElseThrow();
    assertThat(firstStep.ids()).hasSize(8);
    for (int steps = 1; steps <= 8; steps++) {
      String id = "s" + steps;
      assertThat(sim.callsOf(id).stream().filter(c -> c.stage() == Stage.UNET_STEP).count()).as(id).isEqualTo(steps);
    }
    assertThat(sim.device.violations).isEmpty();
  }

  @Test
  void decodesGoInFullBatchesWhenWorkIsQueued() {
    for (int i = 0; i < 64; i++) {
      sim.job("j" + i, 0, 4);
    }
    sim.run();

    assertThat(sim.device.calls.stream().filter(c -> c.stage() == Stage.DECODE_FULL).mapToInt(c -> c.ids().size()))
        .containsOnly(8);
  }
}
