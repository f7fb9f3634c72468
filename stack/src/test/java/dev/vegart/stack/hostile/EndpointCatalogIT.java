package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@link Endpoint#ALL} honest: every route the OpenAPI document describes is in it, every listed route
 * exists (a valid call gets its documented answer), and every protected route refuses missing, wrong and
 * the other realm's credentials with a 401 problem.
 */
class EndpointCatalogIT {

  @Test
  void everyDocumentedRouteIsFuzzed() {
    Target t = Target.get();
    JsonObject paths = new JsonObject(t.http.send("GET", "/openapi.json", null, java.util.Map.of()).body()).getJsonObject("paths");
    Set<String> listed = new HashSet<>();
    Endpoint.ALL.forEach(e -> listed.add(e.method() + " " + e.template()));
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        String template = path.startsWith("/admin/v1/keys/") ? path.replace("{id}", "{key}") : path;
        assertThat(listed).as("the fuzzed routes include the documented %s %s", method, path)
            .contains(method.toUpperCase(Locale.ROOT) + " " + template);
      }
    }
  }

  static Stream<Endpoint> protectedRoutes() {
    return Endpoint.ALL.stream().filter(e -> e.auth() != Endpoint.Auth.NONE);
  }

  @ParameterizedTest
  @MethodSource("protectedRoutes")
  void protectedRoutesRefuseMissingWrongAndForeignCredentials(Endpoint route) {
    Target t = Target.get();
    String foreign = route.auth() == Endpoint.Auth.KEY ? "Bearer " + t.stack.adminToken() : "Bearer " + t.key;
    List<List<byte[]>> attempts = List.of(
        List.of(),
        List.of(RawHttp.line("x-api-key", "vr_wrong")),
        List.of(RawHttp.line("Authorization", "Bearer wrong")),
        List.of(RawHttp.line("Authorization", foreign)),
        List.of(RawHttp.line("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("x:" + t.key).getBytes(StandardCharsets.UTF_8)))));
    for (List<byte[]> lines : attempts) {
      List<byte[]> all = new java.util.ArrayList<>(lines);
      byte[] body = null;
      if (route.json()) {
        all.add(RawHttp.line("Content-Type", "application/json"));
        body = HostileJson.utf8(HostileJson.VALID_JOB);
      }
      RawHttp.Response r = t.raw.send(route.method(), t.path(route).getBytes(StandardCharsets.US_ASCII), all, body);
      String what = route + " with " + (lines.isEmpty() ? "no credentials" : new String(lines.get(0), StandardCharsets.UTF_8));
      SafeAnswer.assertSafe(r, Set.of(), route.method(), what);
      assertThat(r.status()).as(what + ": " + r).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).as(what).isPresent();
    }
  }

  @Test
  void everyListedRouteExists() {
    Target t = Target.get();
    for (Endpoint route : Endpoint.ALL) {
      List<byte[]> lines = t.credentials(route);
      byte[] body = null;
      if (route.json()) {
        lines.add(RawHttp.line("Content-Type", "application/json"));
        body = HostileJson.utf8(route.template().startsWith("/admin") ? "{\"name\": \"catalog\"}"
            : route.template().contains("webhook") ? "{}"
            : route.template().contains("segmind") ? "{\"prompt\": \"a red cube\", \"seed\": 7, \"img_width\": 64, \"img_height\": 64, \"num_inference_steps\": 1}" : HostileJson.VALID_JOB);
      }
      RawHttp.Response r = t.raw.send(route.method(), t.path(route).getBytes(StandardCharsets.US_ASCII), lines, body,
          Target.deadline(route));
      // A finished job cannot be canceled (409) and has no webhook to redeliver (409): both prove the route exists.
      Set<Integer> expected = new HashSet<>(route.success());
      if (route.template().endsWith("/redeliver") || route.method().equals("DELETE") && route.template().startsWith("/v1")) {
        expected.add(409);
      }
      assertThat(r.status()).as(route + " -> " + r).isIn(expected);
    }
  }
}
