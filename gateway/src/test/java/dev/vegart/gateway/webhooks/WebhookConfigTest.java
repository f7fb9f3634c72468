package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {
  @Test
  void defaultsAreTheSpecsScheduleFifteenSecondsAndNoAllowList() {
    WebhookConfig c = WebhookConfig.from(new Env(Map.of()));
    assertThat(c.schedule().attempts()).isEqualTo(10);
    assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.lease()).isEqualTo(Duration.ofSeconds(25));
    assertThat(c.maxPerHost()).isEqualTo(4);
    assertThat(c.maxInFlight()).isEqualTo(64);
    assertThat(c.destinations().refuseUrl(URI.create("http://127.0.0.1/x"))).isPresent();
  }

  @Test
  void readsEverySetting() {
    WebhookConfig c = WebhookConfig.from(new Env(Map.of(
        "VEGART_WEBHOOK_RETRY_SCHEDULE", "0s,1s,2s",
        "VEGART_WEBHOOK_ALLOW_HOSTS", "127.0.0.1",
        "VEGART_WEBHOOK_TIMEOUT", "2s",
        "VEGART_WEBHOOK_MAX_PER_HOST", "2",
        "VEGART_WEBHOOK_MAX_IN_FLIGHT", "8",
        "VEGART_WEBHOOK_POLL_INTERVAL", "200ms")));
    assertThat(c.schedule().attempts()).isEqualTo(3);
    assertThat(c.destinations().refuseUrl(URI.create("http://127.0.0.1/x"))).isEmpty();
    assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.maxPerHost()).isEqualTo(2);
    assertThat(c.maxInFlight()).isEqualTo(8);
    assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void refusesSettingsOutOfRangeNamingTheVariable() {
    assertThatThrownBy(() -> WebhookConfig.from(new Env(Map.of("VEGART_WEBHOOK_TIMEOUT", "500ms"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("VEGART_WEBHOOK_TIMEOUT");
    assertThatThrownBy(() -> WebhookConfig.from(new Env(Map.of("VEGART_WEBHOOK_POLL_INTERVAL", "10ms"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("VEGART_WEBHOOK_POLL_INTERVAL");
    assertThatThrownBy(() -> WebhookConfig.from(new Env(Map.of("VEGART_WEBHOOK_MAX_PER_HOST", "9", "VEGART_WEBHOOK_MAX_IN_FLIGHT", "8"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("VEGART_WEBHOOK_MAX_PER_HOST");
  }

  @Test
  void attemptOutcomesForTheMetrics() {
    RetrySchedule s = RetrySchedule.parse("0s,1s");
    SplittableRandom random = new SplittableRandom(1);
    AttemptResult ok = new AttemptResult(Instant.EPOCH, 3, 200, null, Optional.empty());
    AttemptResult refused = new AttemptResult(Instant.EPOCH, 3, null, WebhookSender.REFUSED + "loopback", Optional.empty());
    AttemptResult error = new AttemptResult(Instant.EPOCH, 3, 500, "HTTP 500", Optional.empty());
    assertThat(DeliveryMeter.outcome(ok, NextStep.after(ok, 1, s, random))).isEqualTo("delivered");
    assertThat(DeliveryMeter.outcome(refused, NextStep.after(refused, 1, s, random))).isEqualTo("refused");
    assertThat(DeliveryMeter.outcome(error, NextStep.after(error, 1, s, random))).isEqualTo("retrying");
    assertThat(DeliveryMeter.outcome(error, NextStep.after(error, 2, s, random))).isEqualTo("failed");
  }
}
