package dev.vegart.gateway.webhooks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One delivery of a job's webhook with its attempts, as {@code GET /v1/jobs/{id}/webhook-deliveries} shows it.
 *
 * @param delivery the delivery's fields (snake_case JSON)
 * @param attempts its attempts, oldest first
 */
public record DeliveryLog(JsonObject delivery, List<JsonObject> attempts) {

  static List<DeliveryLog> from(RowSet<Row> deliveries, RowSet<Row> attempts) {
    Map<String, List<JsonObject>> byDelivery = new LinkedHashMap<>();
    for (Row a : attempts) {
      byDelivery.computeIfAbsent(a.getString("delivery_id"), k -> new ArrayList<>()).add(new JsonObject()
          .put("attempt", a.getInteger("attempt"))
          .put("at", text(a.getOffsetDateTime("started_at")))
          .put("duration_ms", a.getInteger("duration_ms"))
          .put("http_status", a.getInteger("http_status"))
          .put("error", a.getString("error"))
          .put("next_attempt_at", text(a.getOffsetDateTime("next_attempt_at")))
          .put("gateway", a.getString("gateway")));
    }
    List<DeliveryLog> out = new ArrayList<>();
    for (Row d : deliveries) {
      String state = d.getString("state");
      int count = d.getInteger("attempts");
      out.add(new DeliveryLog(new JsonObject()
          .put("id", d.getString("id"))
          .put("event", d.getString("event_type"))
          .put("url", d.getString("url"))
          .put("status", WebhookStatus.of(List.of(new WebhookStatus.DeliveryState(state, count))))
          .put("attempt_count", count)
          .put("last_http_status", d.getInteger("last_status"))
          .put("last_error", d.getString("last_error"))
          .put("next_attempt_at", "pending".equals(state) ? text(d.getOffsetDateTime("next_attempt_at")) : null)
          .put("delivered_at", text(d.getOffsetDateTime("delivered_at")))
          .put("created_at", text(d.getOffsetDateTime("created_at"))),
          byDelivery.getOrDefault(d.getString("id"), List.of())));
    }
    return out;
  }

  public JsonObject toJson() {
    return delivery.copy().put("attempts", new JsonArray(new ArrayList<>(attempts)));
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
