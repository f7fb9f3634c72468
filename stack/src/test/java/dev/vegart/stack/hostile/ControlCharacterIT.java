package dev.vegart.stack.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Control characters (NUL above all: PostgreSQL text and jsonb refuse it) and noncharacters in every place a
 * client's text reaches the database: path parameters (job and key ids), the query, and the string fields of
 * every JSON body. Always a safe answer: a 4xx problem, or the documented success when the text is acceptable.
 */
class ControlCharacterIT {
  private static final List<String> FIELDS = List.of("prompt", "name", "tier", "webhook_url", "output_format", "decoder");

  @Provide
  Arbitrary<Endpoint> routes() {
    return Arbitraries.of(Endpoint.ALL);
  }

  @Provide
  Arbitrary<Endpoint> jsonRoutes() {
    return Arbitraries.of(Endpoint.withJsonBody());
  }

  @Provide
  Arbitrary<Character> controls() {
    return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'),
        Arbitraries.of('\u0000', '\u007f', '\ufffe', '\uffff', '\u2028', '\ud800'));
  }

  @Provide
  Arbitrary<String> fields() {
    return Arbitraries.of(FIELDS);
  }

  @Property(tries = 80)
  void controlCharactersInPathsAreAnsweredSafely(@ForAll("routes") Endpoint route, @ForAll("controls") char c,
      @ForAll boolean inQuery) {
    Target t = Target.get();
    String encoded = percent(String.valueOf(c));
    String path = inQuery ? t.path(route) + "?after=a" + encoded + "&limit=1"
        : route.path(t.jobId + encoded, 0, t.spareKeyId + encoded);
    List<byte[]> lines = new ArrayList<>(t.credentials(route));
    byte[] body = null;
    if (route.json()) {
      lines.add(RawHttp.line("Content-Type", "application/json"));
      body = "{\"prompt\": 1}".getBytes(StandardCharsets.US_ASCII);
    }
    RawHttp.Response r = t.raw.send(route.method(), path.getBytes(StandardCharsets.US_ASCII), lines, body, Target.deadline(route));
    SafeAnswer.assertSafe(r, route.success(), route.method(), route.method() + " " + path);
  }

  @Property(tries = 80)
  void controlCharactersInJsonStringsAreAnsweredSafely(@ForAll("jsonRoutes") Endpoint route, @ForAll("fields") String field,
      @ForAll("controls") char c) {
    String value = HostileJson.quote("a" + c + "b");
    String body = route.template().startsWith("/admin") ? "{" + HostileJson.quote(field) + ": " + value + "}"
        : "{\"prompt\": \"a red cube\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64, "
            + HostileJson.quote(field) + ": " + value + "}";
    if (field.equals("prompt")) {
      body = "{\"prompt\": " + value + ", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64}";
    }
    RawHttp.Response r = Target.get().call(route, List.of(RawHttp.line("Content-Type", "application/json")),
        body.getBytes(StandardCharsets.UTF_8));
    SafeAnswer.assertSafe(r, route.success(), route.method(), route + " with " + body);
  }

  private static String percent(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      b.append('%').append(String.format("%02X", x & 0xff));
    }
    return b.toString();
  }
}
