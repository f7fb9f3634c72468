package dev.vegart.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A request body in one canonical form (keys sorted at every level, no whitespace), for idempotency hashes. */
public final class CanonicalJson {
  private static final ObjectMapper SORTED = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private CanonicalJson() {}

  public static String of(ObjectNode body) {
    try {
      return SORTED.writeValueAsString(SORTED.convertValue(body, Map.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON object could not be written back", e);
    }
  }
}
