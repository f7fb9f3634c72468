package dev.vegart.gateway.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.gateway.http.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A job's webhook: where to send it and which events. {@link #parse} checks the form only; whether the
 * destination may be reached is the {@link DestinationPolicy}'s call, made when the job is submitted.
 *
 * @param url an absolute {@code http} or {@code https} URL without user info or fragment
 * @param events the events to send, never empty
 */
public record WebhookSubscription(URI url, Set<WebhookEvent> events) {
  public static final int MAX_URL_CHARS = 2048;

  public WebhookSubscription {
    events = Set.copyOf(events);
  }

  /** The host, lower-cased, without IPv6 brackets: the unit of per-destination concurrency. */
  public String host() {
    return DestinationPolicy.bare(url.getHost()).toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code webhook_url} and {@code webhook_events} from a submit body, adding any problem to
   * {@code errors}. Returns null when the body names no {@code webhook_url} (and then refuses
   * {@code webhook_events}, which would mean nothing).
   */
  public static WebhookSubscription parse(ObjectNode body, List<FieldError> errors) {
    JsonNode url = body.get("webhook_url");
    JsonNode events = body.get("webhook_events");
    if (url == null || url.isNull()) {
      if (events != null && !events.isNull()) {
        errors.add(FieldError.of("webhook_events", "needs a webhook_url"));
      }
      return null;
    }
    URI parsed = url(url, errors);
    Set<WebhookEvent> chosen = events(events, errors);
    return parsed == null || chosen == null ? null : new WebhookSubscription(parsed, chosen);
  }

  private static URI url(JsonNode node, List<FieldError> errors) {
    String problem = "must be an absolute http(s) URL of at most " + MAX_URL_CHARS + " characters without user info or fragment";
    if (!node.isTextual() || node.textValue().length() > MAX_URL_CHARS) {
      errors.add(FieldError.of("webhook_url", problem));
      return null;
    }
    try {
      URI uri = new URI(node.textValue());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null
          || uri.getRawFragment() != null || uri.getPort() == 0 || uri.getPort() > 65535) {
        errors.add(FieldError.of("webhook_url", problem));
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      errors.add(FieldError.of("webhook_url", problem));
      return null;
    }
  }

  private static Set<WebhookEvent> events(JsonNode node, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      return WebhookEvent.DEFAULTS;
    }
    Set<WebhookEvent> out = EnumSet.noneOf(WebhookEvent.class);
    boolean valid = node.isArray() && !node.isEmpty();
    if (valid) {
      for (JsonNode item : node) {
        var event = item.isTextual() ? WebhookEvent.parse(item.textValue()) : java.util.Optional.<WebhookEvent>empty();
        event.ifPresent(out::add);
        valid &= event.isPresent();
      }
    }
    if (!valid) {
      errors.add(new FieldError("webhook_events", "must be a non-empty array of event names", WebhookEvent.wireNames()));
      return null;
    }
    return out;
  }
}
