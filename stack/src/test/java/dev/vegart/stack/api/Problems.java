package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** Assertions on RFC 9457 answers. */
final class Problems {
  private Problems() {}

  /** Asserts a problem+json with {@code status} whose body mentions {@code mentioned}; returns the body. */
  static JsonObject assertProblem(HttpResponse<String> response, int status, String mentioned) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("https://vegart.dev/problems/");
    assertThat(problem.encode()).contains(mentioned);
    return problem;
  }
}
