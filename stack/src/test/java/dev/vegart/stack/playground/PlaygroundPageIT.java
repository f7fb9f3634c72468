package dev.vegart.stack.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.SharedStack;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page's files are served at {@code /} without a key, locally, under a policy that forbids other origins. */
class PlaygroundPageIT {
  private static Http http;

  @BeforeAll
  static void start() {
    http = new Http(SharedStack.get().url());
  }

  @Test
  void servesThePageAndItsAssetsWithoutAKey() {
    HttpResponse<String> page = http.send("GET", "/", null, Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'")
        .contains("connect-src 'self'");
    assertThat(page.body()).contains("<label for=\"prompt\">Prompt</label>").doesNotContain("https://");
    for (String asset : new String[] {"/app.js", "/style.css", "/favicon.svg"}) {
      HttpResponse<String> r = http.send("GET", asset, null, Map.of());
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(r.body()).as(asset + " loads nothing from elsewhere").doesNotContain("https://", "//cdn");
    }
  }

  @Test
  void unknownPathsStayProblemJson404s() {
    HttpResponse<String> missing = http.send("GET", "/no-such-file.js", null, Map.of());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(http.send("GET", "/v1/jobs", null, Map.of()).statusCode()).as("the API is not shadowed").isEqualTo(401);
  }
}
