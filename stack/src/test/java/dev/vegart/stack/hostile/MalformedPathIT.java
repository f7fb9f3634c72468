package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A path whose percent-encoding is not {@code %} and two hex digits, anywhere (public pages, API routes, with or
 * without credentials), is the client's mistake: a 400 {@code malformed-path} problem. ({@code %+a}, which Vert.x
 * reads as a hex number with a sign, was answered 503, found by {@link RandomRequestIT}.)
 */
class MalformedPathIT {
  private static final List<String> PATHS = List.of("/%+a/live", "/%+a", "/health/%+a", "/v1/%+a", "/v1/jobs/%+a",
      "/v1/jobs/job_x/images/%-1", "/admin/v1/keys/%+F", "/%2", "/%", "/%zz/x", "/openapi.json%g0", "/v1/usage%%41");

  @Test
  void invalidPercentEncodingsAreAMalformedPathWithOrWithoutCredentials() {
    Target t = Target.get();
    for (String path : PATHS) {
      for (List<byte[]> credentials : List.of(List.<byte[]>of(), List.of(RawHttp.line("x-api-key", t.key)))) {
        RawHttp.Response r = t.raw.send("GET", path.getBytes(StandardCharsets.UTF_8), credentials, null);
        String what = "GET " + path + (credentials.isEmpty() ? "" : " with a key") + " -> " + r;
        assertThat(r.status()).as(what).isEqualTo(400);
        assertThat(new JsonObject(r.bodyText()).getString("type")).as(what).isEqualTo("https://vegart.dev/problems/malformed-path");
      }
    }
  }
}
