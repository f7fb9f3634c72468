package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What every answer to hostile input must be: an answer (not a closed socket), never a 5xx the endpoint does not
 * document, a 2xx/3xx only where the endpoint documents one, and every error an RFC 9457 problem whose
 * {@code status} matches the line.
 */
final class SafeAnswer {
  private SafeAnswer() {}

  /**
   * @param allowedSuccess the statuses below 400 the request may get (empty: it must be refused)
   * @param request what was sent, for the failure message
   */
  static void assertSafe(RawHttp.Response r, Set<Integer> allowedSuccess, String method, String request) {
    String what = request + " -> " + r;
    assertThat(r.status()).as("an answer (not a dropped connection) to %s", what).isNotZero();
    if (!allowedSuccess.contains(r.status())) {
      assertThat(r.status()).as("no server error for %s", what).isLessThan(500);
    }
    if (r.status() < 400) {
      assertThat(allowedSuccess).as("a documented success status for %s", what).contains(r.status());
      return;
    }
    if (method.equals("HEAD")) {
      return;
    }
    assertThat(r.header("Content-Type")).as("problem+json for %s", what).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(r.bodyText());
    assertThat(problem.getInteger("status")).as("problem status for %s", what).isEqualTo(r.status());
    assertThat(problem.getString("type")).as("problem type for %s", what).startsWith("https://vegart.dev/problems/");
    assertThat(problem.getString("title")).as("problem title for %s", what).isNotBlank();
  }
}
