package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.gateway.webhooks.WebhookStatus.DeliveryState;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookStatusTest {
  @Test
  void theWorstDeliveryDecidesTheJobsWebhookStatus() {
    assertThat(WebhookStatus.of(List.of())).isEqualTo("none");
    assertThat(WebhookStatus.of(List.of(new DeliveryState("pending", 0)))).isEqualTo("pending");
    assertThat(WebhookStatus.of(List.of(new DeliveryState("pending", 2)))).isEqualTo("retrying");
    assertThat(WebhookStatus.of(List.of(new DeliveryState("delivered", 3)))).isEqualTo("delivered");
    assertThat(WebhookStatus.of(List.of(new DeliveryState("delivered", 1), new DeliveryState("pending", 1)))).isEqualTo("retrying");
    assertThat(WebhookStatus.of(List.of(new DeliveryState("failed", 10), new DeliveryState("delivered", 1)))).isEqualTo("failed");
    assertThat(WebhookStatus.of(List.of(new DeliveryState("failed", 10), new DeliveryState("disabled", 1)))).isEqualTo("disabled");
  }
}
