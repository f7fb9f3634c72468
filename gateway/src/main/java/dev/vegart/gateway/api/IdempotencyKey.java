package dev.vegart.gateway.api;

import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A client's {@code Idempotency-Key} (1..255 printable ASCII characters, scoped to its API key, kept 24 h) and
 * the hash of the request it was first used with: a repeat with the same hash replays the first job, another
 * hash is a 422 problem.
 *
 * @param value the header value
 * @param requestHash SHA-256 (hex) of the endpoint and the request's canonical JSON
 */
public record IdempotencyKey(String value, String requestHash) {
  public static final String HEADER = "Idempotency-Key";
  public static final int MAX_CHARS = 255;

  /** The header, if sent; a 400 problem naming the header when it is malformed. */
  public static Optional<String> header(HttpServerRequest request) {
    List<String> values = request.headers().getAll(HEADER);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    String value = values.get(0);
    if (values.size() > 1 || value.isEmpty() || value.length() > MAX_CHARS || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw ProblemException.invalid(List.of(FieldError.of(HEADER,
          "must be sent once, with 1 to " + MAX_CHARS + " printable ASCII characters")));
    }
    return Optional.of(value);
  }

  /** Binds a header value to the request it came with. */
  public static IdempotencyKey of(String value, String endpoint, String canonicalRequest) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(endpoint.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return new IdempotencyKey(value, HexFormat.of().formatHex(sha.digest(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  public static ProblemException reusedWithAnotherRequest() {
    return ProblemException.of(422, "idempotency-key-reused", "Idempotency key reused",
        "this Idempotency-Key was used in the last 24 hours with a different request; use a new key for a new request");
  }
}
