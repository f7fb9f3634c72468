package dev.vegart.gateway.api;

import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code wait} preference of RFC 7240 ({@code Prefer: wait=N}, N whole seconds, at most {@link #MAX_SECONDS}):
 * how long the caller is willing to wait for its job to end. Other preferences are ignored, as the RFC asks;
 * a malformed or too long wait is a 400 naming the header.
 */
public final class PreferWait {
  public static final int MAX_SECONDS = 60;

  private PreferWait() {}

  /** The requested wait, if any (wait=0 counts as none). */
  public static Optional<Duration> parse(HttpServerRequest request) {
    for (String header : request.headers().getAll("Prefer")) {
      for (String token : header.split("[,;]")) {
        String t = token.trim();
        if (t.regionMatches(true, 0, "wait", 0, 4) && (t.length() == 4 || t.charAt(4) == '=' || t.charAt(4) == ' ')) {
          return seconds(t.substring(4).trim());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Duration> seconds(String assignment) {
    String value = assignment.startsWith("=") ? assignment.substring(1).trim() : "";
    if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
      value = value.substring(1, value.length() - 1);
    }
    if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) > MAX_SECONDS) {
      throw ProblemException.invalid(List.of(FieldError.of("Prefer",
          "wait must be a whole number of seconds from 0 to " + MAX_SECONDS + ", as in Prefer: wait=10")));
    }
    int seconds = Integer.parseInt(value);
    return seconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }
}
