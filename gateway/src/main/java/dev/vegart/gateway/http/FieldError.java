package dev.vegart.gateway.http;

import java.util.List;

/**
 * One invalid field of a request.
 *
 * @param field the JSON field name (or header name)
 * @param message what is wrong, in words
 * @param allowed the allowed values, when they can be listed; empty otherwise
 */
public record FieldError(String field, String message, List<Object> allowed) {
  public static FieldError of(String field, String message) {
    return new FieldError(field, message, List.of());
  }
}
