package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.common.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void defaultIsTheStandardWebhooksScheduleOfTenAttempts() {
    RetrySchedule s = RetrySchedule.parse(RetrySchedule.DEFAULT);
    assertThat(s.attempts()).isEqualTo(10);
    assertThat(s.delays()).startsWith(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5)).endsWith(Duration.ofHours(24));
  }

  @Test
  void nextDelayFollowsTheListWithAtMostTenPercentJitterThenEnds() {
    RetrySchedule s = RetrySchedule.parse("0s,10s,5m");
    for (int i = 0; i < 200; i++) {
      assertThat(s.delayAfter(1, random).orElseThrow()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(11));
      assertThat(s.delayAfter(2, random).orElseThrow()).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
    }
    assertThat(s.delayAfter(3, random)).isEmpty();
  }

  @Test
  void jitterActuallySpreadsRetries() {
    RetrySchedule s = RetrySchedule.parse("0s,100s");
    long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> s.delayAfter(1, random).orElseThrow()).distinct().count();
    assertThat(distinct).isGreaterThan(40);
  }

  @Test
  void refusesSchedulesThatDoNotStartAtOnceOrAreMalformed() {
    assertThatThrownBy(() -> RetrySchedule.parse("5s,10s")).isInstanceOf(ConfigException.class).hasMessageContaining(RetrySchedule.KEY);
    assertThatThrownBy(() -> RetrySchedule.parse("0s,soon")).isInstanceOf(ConfigException.class).hasMessageContaining(RetrySchedule.KEY);
    assertThatThrownBy(() -> RetrySchedule.parse("0s,8d")).isInstanceOf(ConfigException.class).hasMessageContaining("7d");
  }

  @Test
  void deliveredOnTwoHundredsDisabledOnGoneFailedWhenTheRoundIsOver() {
    RetrySchedule s = RetrySchedule.parse("0s,1s,2s");
    assertThat(NextStep.after(result(204, null), 1, s, random).state()).isEqualTo("delivered");
    assertThat(NextStep.after(result(410, null), 1, s, random).state()).isEqualTo("disabled");
    assertThat(NextStep.after(result(500, null), 2, s, random))
        .satisfies(n -> assertThat(n.state()).isEqualTo("pending"))
        .satisfies(n -> assertThat(n.delay().orElseThrow()).isBetween(Duration.ofMillis(1800), Duration.ofMillis(2200)));
    assertThat(NextStep.after(result(500, null), 3, s, random).state()).isEqualTo("failed");
    assertThat(NextStep.after(result(301, null), 1, s, random).state()).isEqualTo("pending");
    assertThat(NextStep.after(result(null, null), 1, s, random).state()).isEqualTo("pending");
  }

  @Test
  void retryAfterLongerThanTheScheduleWinsButIsCappedAtADay() {
    RetrySchedule s = RetrySchedule.parse("0s,1s,2s");
    assertThat(NextStep.after(result(503, Duration.ofSeconds(30)), 1, s, random).delay()).hasValue(Duration.ofSeconds(30));
    assertThat(NextStep.after(result(429, Duration.ofDays(9)), 1, s, random).delay()).hasValue(Duration.ofHours(24));
    assertThat(NextStep.after(result(429, Duration.ZERO), 1, s, random).delay().orElseThrow()).isGreaterThan(Duration.ofMillis(800));
  }

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    Instant now = Instant.parse("2026-11-26T07:00:00Z");
    assertThat(RetryAfter.parse("120", now)).hasValue(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Thu, 26 Nov 2026 07:01:30 GMT", now)).hasValue(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Thu, 26 Nov 2026 06:00:00 GMT", now)).hasValue(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", now)).isEmpty();
    assertThat(RetryAfter.parse(null, now)).isEmpty();
  }

  private static AttemptResult result(Integer status, Duration retryAfter) {
    return new AttemptResult(Instant.EPOCH, 5, status, status != null && status < 300 ? null : "failed", Optional.ofNullable(retryAfter));
  }
}
