package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {

  @Test
  void defaultsToContinuousBatchingOfEight() {
    SchedulerConfig config = SchedulerConfig.fromEnv(new Env(Map.of()));

    assertThat(config.policy()).isEqualTo(SchedulingPolicy.CONTINUOUS);
    assertThat(config.maxBatchSize()).isEqualTo(8);
    assertThat(config.maxQueuedImages()).isEqualTo(16);
    assertThat(config.maxBatchFor(1024, 1024)).isEqualTo(8);
  }

  @Test
  void readsEveryKey() {
    SchedulerConfig config = SchedulerConfig.fromEnv(new Env(Map.of(
        "VEGART_SCHEDULER_POLICY", "bucket",
        "VEGART_MAX_BATCH_SIZE", "16",
        "VEGART_MAX_BATCH_DELAY", "50ms",
        "VEGART_MAX_QUEUED_IMAGES", "40",
        "VEGART_DECODE_MAX_WAIT", "1s",
        "VEGART_GPU_MEMORY_BUDGET_GIB", "24")));

    assertThat(config.policy()).isEqualTo(SchedulingPolicy.BUCKET);
    assertThat(config.maxBatchDelay()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.maxQueuedImages()).isEqualTo(40);
    assertThat(config.decodeMaxWait()).isEqualTo(Duration.ofSeconds(1));
    // (24 - 6.1) / 2.0 GiB per 1024x1024 image = 8; a quarter of the pixels fits four times as many, capped at 16.
    assertThat(config.maxBatchFor(1024, 1024)).isEqualTo(8);
    assertThat(config.maxBatchFor(512, 512)).isEqualTo(16);
  }

  @Test
  void aSizeThatDoesNotFitTheBudgetGetsNoBatchAndItsJobFails() {
    SchedulerConfig config = SchedulerConfig.fromEnv(new Env(Map.of("VEGART_GPU_MEMORY_BUDGET_GIB", "7")));
    assertThat(config.maxBatchFor(1024, 1024)).isZero();

    SimHarness sim = new SimHarness(config);
    sim.job("too-big", 0, 4);
    sim.run();
    assertThat(sim.outcomes.terminal("too-big").error()).hasMessageContaining("does not fit the GPU memory budget");
    assertThat(sim.device.calls).isEmpty();
  }

  @Test
  void badValuesNameTheKeyToChange() {
    assertThatThrownBy(() -> SchedulerConfig.fromEnv(new Env(Map.of("VEGART_SCHEDULER_POLICY", "fifo"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("VEGART_SCHEDULER_POLICY")
        .hasMessageContaining("none, bucket, continuous");
    assertThatThrownBy(() -> SchedulerConfig.fromEnv(new Env(Map.of("VEGART_MAX_BATCH_SIZE", "0"))))
        .hasMessageContaining("VEGART_MAX_BATCH_SIZE");
    assertThatThrownBy(() -> SchedulerConfig.fromEnv(new Env(Map.of("VEGART_MAX_BATCH_DELAY", "soon"))))
        .hasMessageContaining("VEGART_MAX_BATCH_DELAY");
    assertThatThrownBy(() -> SchedulerConfig.fromEnv(new Env(Map.of("VEGART_GPU_MEMORY_BUDGET_GIB", "lots"))))
        .hasMessageContaining("VEGART_GPU_MEMORY_BUDGET_GIB");
  }
}
