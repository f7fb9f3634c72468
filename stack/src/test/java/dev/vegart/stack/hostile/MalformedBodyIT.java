package dev.vegart.stack.hostile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every route that reads JSON, fed random and truncated JSON, deep nesting, duplicate keys, wrong types,
 * out-of-range numbers, invalid UTF-8 and random bytes: always a 4xx problem (or the route's documented
 * success when the body happens to be valid), never a 5xx, never a hang.
 */
class MalformedBodyIT {

  @Provide
  Arbitrary<Endpoint> jsonRoutes() {
    return Arbitraries.of(Endpoint.withJsonBody());
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return HostileJson.bodies();
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of("application/json", "application/json; charset=utf-8", "application/json; charset=utf-16",
        "APPLICATION/JSON", "application/jsonx", "text/plain", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "");
  }

  @Property(tries = 250)
  void everyJsonRouteAnswersAnyBodySafely(@ForAll("jsonRoutes") Endpoint route, @ForAll("bodies") byte[] body) {
    RawHttp.Response r = Target.get().call(route, List.of(RawHttp.line("Content-Type", "application/json")), body);
    SafeAnswer.assertSafe(r, route.success(), route.method(), route + " with body " + preview(body));
  }

  @Property(tries = 60)
  void anyContentTypeIsAnsweredSafely(@ForAll("jsonRoutes") Endpoint route, @ForAll("contentTypes") String type,
      @ForAll("bodies") byte[] body) {
    RawHttp.Response r = Target.get().call(route, List.of(RawHttp.line("Content-Type", type)), body);
    SafeAnswer.assertSafe(r, route.success(), route.method(), route + " as " + type + " with body " + preview(body));
  }

  static String preview(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 200 ? text.substring(0, 200) + "... (" + body.length + " bytes)" : text;
  }
}
