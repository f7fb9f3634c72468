package dev.vegart.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LcmSchedulerTest {
  static final ModelManifest.Scheduler CONFIG =
      new ModelManifest.Scheduler("lcm", 1000, 0.00085, 0.012, "scaled_linear", 50, 10.0, 0.5);
  private final LcmScheduler scheduler = new LcmScheduler(CONFIG);
  private final JsonNode golden = Golden.read("scheduler.json");

  @Test
  void timestepsMatchTheBriefAndTheReference() {
    assertThat(scheduler.timesteps(1)).containsExactly(999);
    assertThat(scheduler.timesteps(2)).containsExactly(999, 499);
    assertThat(scheduler.timesteps(4)).containsExactly(999, 759, 499, 259);
    assertThat(scheduler.timesteps(8)).containsExactly(999, 879, 759, 639, 499, 379, 259, 139);
    for (int n = 1; n <= 8; n++) {
      JsonNode steps = golden.get("steps").get(String.valueOf(n));
      int[] expected = new int[steps.size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = steps.get(i).get("timestep").asInt();
      }
      assertThat(scheduler.timesteps(n)).as("%d steps", n).containsExactly(expected);
    }
  }

  @Test
  void alphasCumprodAreBitIdenticalToTorchFloat32() {
    float[] expected = Golden.floats(golden.get("alphas_cumprod"));
    for (int t = 0; t < expected.length; t++) {
      assertThat(scheduler.alphaCumprod(t)).as("t=%d", t).isEqualTo(expected[t]);
    }
  }

  @Test
  void boundaryCoefficientsMatchTheReference() {
    for (int n = 1; n <= 8; n++) {
      JsonNode steps = golden.get("steps").get(String.valueOf(n));
      for (int i = 0; i < n; i++) {
        LcmScheduler.StepCoefficients c = scheduler.coefficients(n, i);
        assertThat((double) c.cSkip()).isCloseTo(steps.get(i).get("c_skip").asDouble(), within(1e-9));
        assertThat((double) c.cOut()).isCloseTo(steps.get(i).get("c_out").asDouble(), within(1e-7));
        assertThat(c.last()).isEqualTo(i == n - 1);
      }
    }
  }

  @Test
  void lastStepKeepsTheDenoisedSampleExactly() {
    LcmScheduler.StepCoefficients last = scheduler.coefficients(4, 3);
    assertThat(last.sqrtNext()).isEqualTo(1.0f);
    assertThat(last.sqrtOneMinusNext()).isEqualTo(0.0f);
    LcmScheduler.StepCoefficients first = scheduler.coefficients(4, 0);
    assertThat(first.sqrtNext() * first.sqrtNext()).isCloseTo(scheduler.alphaCumprod(759), within(1e-6f));
  }

  @Test
  void refusesStepCountsOutsideTheOriginalSchedule() {
    assertThatThrownBy(() -> scheduler.timesteps(0)).hasMessageContaining("1..50");
    assertThatThrownBy(() -> scheduler.timesteps(51)).hasMessageContaining("1..50");
  }
}
