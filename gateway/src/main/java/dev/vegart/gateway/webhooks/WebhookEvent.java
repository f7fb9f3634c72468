package dev.vegart.gateway.webhooks;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The events a job can send to its {@code webhook_url}; the wire names are the payload's {@code type}. */
public enum WebhookEvent {
  STARTED("job.started"),
  SUCCEEDED("job.succeeded"),
  FAILED("job.failed"),
  CANCELED("job.canceled"),
  EXPIRED("job.expired");

  /** What a job subscribes to when its request names no {@code webhook_events}: every terminal event. */
  public static final Set<WebhookEvent> DEFAULTS = EnumSet.of(SUCCEEDED, FAILED, CANCELED, EXPIRED);

  private final String wire;

  WebhookEvent(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<WebhookEvent> parse(String text) {
    return Arrays.stream(values()).filter(e -> e.wire.equals(text)).findFirst();
  }

  public static List<Object> wireNames() {
    return Arrays.stream(values()).map(e -> (Object) e.wire).toList();
  }
}
