package dev.vegart.gateway.webhooks;

import java.util.List;

/**
 * What a job shows about its webhook.
 *
 * @param url the {@code webhook_url}
 * @param events the subscribed event names
 * @param status see {@link WebhookStatus}
 */
public record WebhookSummary(String url, List<String> events, String status) {
  public WebhookSummary {
    events = List.copyOf(events);
  }
}
