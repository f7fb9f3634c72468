package dev.vegart.gateway.webhooks;

import java.util.List;

/**
 * A job's {@code webhook_status}, kept apart from the job's own status: {@code none} (no subscribed event
 * yet), {@code pending} (waiting for its first attempt), {@code retrying} (an attempt failed, another is
 * scheduled), {@code delivered} (every event so far reached the receiver), {@code failed} (an event used up
 * its retries) or {@code disabled} (the endpoint answered 410 Gone). With several events the worst wins.
 */
public final class WebhookStatus {
  /** One delivery's state and how many attempts it has had. */
  public record DeliveryState(String state, int attempts) {}

  private static final List<String> WORST_FIRST = List.of("disabled", "failed", "retrying", "pending", "delivered");

  private WebhookStatus() {}

  public static String of(List<DeliveryState> deliveries) {
    String worst = "none";
    for (DeliveryState d : deliveries) {
      String s = "pending".equals(d.state()) && d.attempts() > 0 ? "retrying" : d.state();
      if ("none".equals(worst) || rank(s) < rank(worst)) {
        worst = s;
      }
    }
    return worst;
  }

  private static int rank(String status) {
    int i = WORST_FIRST.indexOf(status);
    return i < 0 ? WORST_FIRST.size() : i;
  }
}
