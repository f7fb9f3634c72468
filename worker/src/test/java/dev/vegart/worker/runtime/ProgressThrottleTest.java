package dev.vegart.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final ProgressThrottle throttle = new ProgressThrottle(clock, Duration.ofMillis(250));

  @Test
  void sendsTheFirstAndTheLastStepEvenWhenStepsAreFast() {
    assertThat(throttle.shouldSend(1, 8)).isTrue();
    now = now.plusMillis(10);
    assertThat(throttle.shouldSend(2, 8)).isFalse();
    now = now.plusMillis(10);
    assertThat(throttle.shouldSend(3, 8)).isFalse();
    now = now.plusMillis(10);
    assertThat(throttle.shouldSend(8, 8)).isTrue();
  }

  @Test
  void sendsAtMostOneStepPerIntervalInTheMiddle() {
    assertThat(throttle.shouldSend(1, 8)).isTrue();
    now = now.plusMillis(249);
    assertThat(throttle.shouldSend(2, 8)).isFalse();
    now = now.plusMillis(1);
    assertThat(throttle.shouldSend(3, 8)).isTrue();
    now = now.plusMillis(100);
    assertThat(throttle.shouldSend(4, 8)).isFalse();
  }

  @Test
  void neverRepeatsOrGoesBack() {
    assertThat(throttle.shouldSend(2, 4)).isTrue();
    now = now.plusSeconds(1);
    assertThat(throttle.shouldSend(2, 4)).isFalse();
    assertThat(throttle.shouldSend(1, 4)).isFalse();
    assertThat(throttle.shouldSend(4, 4)).isTrue();
    assertThat(throttle.shouldSend(4, 4)).isFalse();
  }
}
