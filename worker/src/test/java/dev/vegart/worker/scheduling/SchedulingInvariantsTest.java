package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariants every policy must keep, checked on the virtual clock over a random workload that mixes sizes,
 * step counts 1..8, both decoders, multi-image jobs, deadlines and cancellations.
 */
class SchedulingInvariantsTest {
  private static final int[][] SIZES = {{1024, 1024}, {768, 1344}, {512, 512}};

  private record Scenario(SimHarness sim, Set<String> canceled) {}

  private static Scenario randomWorkload(SchedulingPolicy policy, long seed) {
    SimHarness sim = new SimHarness(policy == SchedulingPolicy.BUCKET ? SimHarness.bucket(8, 50)
        : SimHarness.config(policy));
    Random random = new Random(seed);
    java.util.HashSet<String> canceled = new java.util.HashSet<>();
    double t = 0;
    for (int i = 0; i < 300; i++) {
      t += -Math.log(1 - random.nextDouble()) * 100;
      int[] size = SIZES[random.nextInt(SIZES.length)];
      Decoder decoder = random.nextInt(4) == 0 ? Decoder.FAST : Decoder.FULL;
      Instant deadline = random.nextInt(5) == 0 ? sim.instantAtMs(t + random.nextInt(2000)) : null;
      String id = "j" + i;
      sim.job(id, t, 1 + random.nextInt(4), 1 + random.nextInt(8), size[0], size[1], decoder, deadline);
      if (random.nextInt(10) == 0) {
        sim.cancelAt(id, t + random.nextInt(3000));
        canceled.add(id);
      }
    }
    sim.run();
    return new Scenario(sim, canceled);
  }

  @ParameterizedTest
  @EnumSource(SchedulingPolicy.class)
  void everyAdmittedJobEndsExactlyOnceAndFollowsTheStageContract(SchedulingPolicy policy) {
    Scenario s = randomWorkload(policy, 1);
    SimHarness sim = s.sim();

    assertThat(sim.device.violations).isEmpty();
    assertThat(sim.core.heldJobs()).isZero();
    for (String id : sim.admissions.keySet()) {
      String outcome = sim.outcomes.terminal(id).what();
      if (!s.canceled().contains(id)) {
        assertThat(outcome).as(id).isIn("succeeded", "expired");
      }
      if (outcome.equals("succeeded")) {
        assertThat(sim.outcomes.startedAt(id)).as(id).isGreaterThanOrEqualTo(0);
      }
    }
    long succeeded = sim.admissions.keySet().stream()
        .filter(id -> sim.outcomes.terminal(id).what().equals("succeeded")).count();
    assertThat(succeeded).isGreaterThan(200);
  }

  @ParameterizedTest
  @EnumSource(SchedulingPolicy.class)
  void resultsDoNotDependOnBatchMates(SchedulingPolicy policy) {
    SimHarness sim = randomWorkload(policy, 2).sim();

    for (Admission a : sim.admissions.values()) {
      boolean succeeded = sim.outcomes.terminal(a.jobId()).what().equals("succeeded");
      for (Generation g : a.generations()) {
        if (succeeded) {
          assertThat(sim.device.output(g.id())).as(g.id()).isEqualTo(FakeDevice.expectedOutput(g));
        }
      }
    }
    assertThat(sim.device.calls.stream().filter(c -> c.stage() == Stage.UNET_STEP).mapToInt(c -> c.ids().size()).max()
        .orElse(0)).as("the workload did batch").isGreaterThan(1);
  }

  @ParameterizedTest
  @EnumSource(SchedulingPolicy.class)
  void everyUnetAndDecodeCallHoldsOneSize(SchedulingPolicy policy) {
    SimHarness sim = randomWorkload(policy, 3).sim();

    for (FakeDevice.Call call : sim.device.calls) {
      if (call.stage() == Stage.TEXT_ENCODE) {
        continue;
      }
      List<String> sizes = call.ids().stream()
          .map(id -> sizeOf(sim, id))
          .distinct()
          .toList();
      assertThat(sizes).as(call.toString()).hasSize(1);
    }
    assertThat(sim.device.calls).anyMatch(c -> c.stage() == Stage.UNET_STEP && c.width() == 768);
  }

  @ParameterizedTest
  @EnumSource(SchedulingPolicy.class)
  void noJobStartsAfterItsDeadlineAndExpiredJobsNeverRun(SchedulingPolicy policy) {
    SimHarness sim = randomWorkload(policy, 4).sim();
    int expired = 0;
    for (Admission a : sim.admissions.values()) {
      long started = sim.outcomes.startedAt(a.jobId());
      if (a.deadline() != null && started >= 0) {
        assertThat(SimHarness.ORIGIN.plusNanos(started)).as(a.jobId()).isBefore(a.deadline());
      }
      if (sim.outcomes.terminal(a.jobId()).what().equals("expired")) {
        expired++;
        assertThat(started).as(a.jobId()).isEqualTo(-1);
        assertThat(sim.callsOf(a.jobId())).as(a.jobId()).isEmpty();
        assertThat(SimHarness.ORIGIN.plusNanos(sim.outcomes.terminal(a.jobId()).atNanos()))
            .isAfterOrEqualTo(a.deadline());
      }
    }
    assertThat(expired).as("the workload overloads the device enough to expire some jobs").isPositive();
  }

  private static String sizeOf(SimHarness sim, String generationId) {
    String jobId = generationId.substring(0, generationId.lastIndexOf('-'));
    Admission a = sim.admissions.get(jobId);
    return a.width() + "x" + a.height();
  }
}
