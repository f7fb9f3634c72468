package dev.vegart.gateway.webhooks;

/**
 * Receives the outcome of every webhook attempt, for metrics: {@code delivered} (2xx), {@code retrying}
 * (failed, another attempt is scheduled), {@code failed} (failed for good, or 410) or {@code refused} (the
 * destination policy refused the address at connect time). Called on the delivery verticle's event loop.
 */
@FunctionalInterface
public interface DeliveryMeter {
  DeliveryMeter NONE = (outcome, nanos) -> { };

  void record(String outcome, long nanos);

  static String outcome(AttemptResult result, NextStep next) {
    if (result.delivered()) {
      return "delivered";
    }
    if (result.error() != null && result.error().startsWith(WebhookSender.REFUSED)) {
      return "refused";
    }
    return "pending".equals(next.state()) ? "retrying" : "failed";
  }
}
