package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * CR, LF, NUL, obsolete line folding and their percent-encodings in header values, paths and query strings, on
 * every route: the answer is safe, and no response header line is ever made of what the client sent (the marker
 * never shows up in a response header name or value, and no response header value holds a CR or LF).
 */
class HeaderInjectionIT {
  private static final String MARKER = "X-Injected-7f3a";
  private static final List<String> PAYLOADS = List.of("\r\n" + MARKER + ": 1", "\n" + MARKER + ": 1", "\r" + MARKER + ": 1",
      "\r\n " + MARKER + ": 1", "\u0000" + MARKER, "%0d%0a" + MARKER + ":%201", "%0a" + MARKER + ":%201", "\t" + MARKER,
      "\u0085" + MARKER, "\u2028" + MARKER);

  @Provide
  Arbitrary<Endpoint> routes() {
    return Arbitraries.of(Endpoint.ALL);
  }

  @Provide
  Arbitrary<String> payloads() {
    return Arbitraries.of(PAYLOADS);
  }

  @Provide
  Arbitrary<String> reflectableHeaders() {
    return Arbitraries.of("x-api-key", "Authorization", "Idempotency-Key", "Prefer", "traceparent", "Content-Type", "Origin",
        "Accept", "If-None-Match", "X-Forwarded-For", "X-Request-Id", "Host");
  }

  @Property(tries = 120)
  void headerValuesNeverSplitTheResponse(@ForAll("routes") Endpoint route, @ForAll("reflectableHeaders") String header,
      @ForAll("payloads") String payload, @ForAll boolean prefixed) {
    Target t = Target.get();
    List<byte[]> lines = new ArrayList<>();
    if (route.json()) {
      lines.add(RawHttp.line("Content-Type", "application/json"));
    }
    String value = (prefixed ? "abc" : "") + payload;
    lines.add(RawHttp.line(header, value));
    byte[] body = route.json() ? HostileJson.utf8(HostileJson.VALID_JOB) : null;
    RawHttp.Response r = header.equalsIgnoreCase("Host")
        ? t.raw.exchange(request(route, t, lines, body))
        : t.call(route, lines, body);
    assertNoInjection(r, route + " with " + header + ": " + escaped(value));
  }

  @Property(tries = 60)
  void pathsAndQueriesNeverSplitTheResponse(@ForAll("routes") Endpoint route, @ForAll("payloads") String payload,
      @ForAll boolean inQuery) {
    Target t = Target.get();
    String path = t.path(route) + (inQuery ? "?after=" : "/") + payload;
    RawHttp.Response r = t.raw.send(route.method(), path.getBytes(StandardCharsets.UTF_8), t.credentials(route), null);
    assertNoInjection(r, route.method() + " " + escaped(path));
  }

  /** A request without the client's own Host line, so the hostile one is the only one. */
  private static byte[] request(Endpoint route, Target t, List<byte[]> lines, byte[] body) {
    StringBuilder b = new StringBuilder(route.method() + " " + t.path(route) + " HTTP/1.1\r\nConnection: close\r\n");
    for (byte[] line : t.credentials(route)) {
      b.append(new String(line, StandardCharsets.UTF_8)).append("\r\n");
    }
    for (byte[] line : lines) {
      b.append(new String(line, StandardCharsets.UTF_8)).append("\r\n");
    }
    if (body != null) {
      b.append("Content-Length: ").append(body.length).append("\r\n");
    }
    b.append("\r\n");
    if (body != null) {
      b.append(new String(body, StandardCharsets.UTF_8));
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void assertNoInjection(RawHttp.Response r, String what) {
    assertThat(r.status()).as("an answer to %s: %s", what, r).isNotZero();
    assertThat(r.status()).as("no server error for %s: %s", what, r).isLessThan(500);
    for (String[] h : r.headers()) {
      assertThat(h[0].toLowerCase(Locale.ROOT)).as("header name in answer to %s", what).doesNotContain(MARKER.toLowerCase(Locale.ROOT));
      assertThat(h[1].toLowerCase(Locale.ROOT)).as("header %s in answer to %s", h[0], what).doesNotContain(MARKER.toLowerCase(Locale.ROOT));
    }
    assertThat(r.rawHead().split("\r\n\r\n", 2)[0]).as("head of the answer to %s", what).doesNotContain("\n\n").doesNotContain("\r\r");
    if (r.status() >= 400) {
      SafeAnswer.assertSafe(r, java.util.Set.of(), "GET", what);
    }
  }

  private static String escaped(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
  }
}
