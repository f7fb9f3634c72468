package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.job.Decoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No request starves: even with the device saturated (offered 1.5x capacity, so backlogs grow without
 * bound), a request is overtaken by only a bounded number of later arrivals. The bound is what can pass
 * through one lane's slots while a request does its own steps: steps x max batch.
 */
class StarvationTest {
  private static final int MAX_STEPS = 8;

  @ParameterizedTest
  @EnumSource(SchedulingPolicy.class)
  void aRequestIsOvertakenByABoundedNumberOfLaterArrivalsUnderOverload(SchedulingPolicy policy) {
    SchedulerConfig config = policy == SchedulingPolicy.BUCKET ? SimHarness.bucket(8, 50) : SimHarness.config(policy);
    SimHarness sim = new SimHarness(config);
    Random random = new Random(7);
    double gapMs = 1000 / (1.5 * 8.9);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      String id = "r" + i;
      boolean otherSize = random.nextInt(10) == 0;
      sim.job(id, i * gapMs, 1, 1 + random.nextInt(MAX_STEPS), otherSize ? 768 : 1024, otherSize ? 1344 : 1024,
          Decoder.FULL, null);
      ids.add(id);
    }
    sim.run();

    int bound = MAX_STEPS * config.maxBatchSize();
    int worst = 0;
    for (int i = 0; i < ids.size(); i++) {
      long done = sim.outcomes.terminal(ids.get(i)).atNanos();
      int overtakenBy = 0;
      for (int j = i + 1; j < ids.size(); j++) {
        if (sim.outcomes.terminal(ids.get(j)).atNanos() < done) {
          overtakenBy++;
        }
      }
      worst = Math.max(worst, overtakenBy);
    }
    assertThat(sim.latencyMs(ids.get(ids.size() - 1))).as("the device is saturated").isGreaterThan(10_000);
    assertThat(worst).as("most later arrivals that finished first").isLessThanOrEqualTo(bound);
  }
}
