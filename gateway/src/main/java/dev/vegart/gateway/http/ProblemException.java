package dev.vegart.gateway.http;

import java.util.List;
import java.util.Map;

/**
 * A request the gateway refuses, rendered as RFC 9457 {@code application/problem+json}. Carries no stack
 * trace: it is an answer, not a fault.
 */
public final class ProblemException extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;

  public ProblemException(int status, String type, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  public static ProblemException of(int status, String type, String title, String detail) {
    return new ProblemException(status, type, title, detail, List.of(), Map.of());
  }

  public static ProblemException invalid(List<FieldError> errors) {
    String detail = errors.size() == 1
        ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid: " + String.join(", ", errors.stream().map(FieldError::field).toList());
    return new ProblemException(400, "invalid-request", "Invalid request", detail, errors, Map.of());
  }

  public static ProblemException notFound(String what) {
    return of(404, "not-found", "Not found", what + " was not found");
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "unauthorized", "Unauthorized", detail, List.of(), Map.of("WWW-Authenticate", "Bearer"));
  }

  public static ProblemException unavailable(String detail, int retryAfterSeconds) {
    return new ProblemException(503, "unavailable", "Service unavailable", detail, List.of(),
        Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
