package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Huge bodies, header values, header counts, URLs and query strings: refused with the matching 4xx problem
 * (413, 431, 414) on every route, before any work; never a 5xx, never a hang.
 */
class OversizedInputIT {
  private static final int BODY_LIMIT = 64 * 1024;

  @Provide
  Arbitrary<Endpoint> routes() {
    return Arbitraries.of(Endpoint.ALL);
  }

  @Provide
  Arbitrary<Endpoint> jsonRoutes() {
    return Arbitraries.of(Endpoint.withJsonBody());
  }

  @Property(tries = 12)
  void bodiesOverTheLimitAre413(@ForAll("jsonRoutes") Endpoint route, @ForAll @IntRange(min = BODY_LIMIT + 1, max = 4 << 20) int size) {
    byte[] body = ("{\"prompt\": \"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.US_ASCII);
    RawHttp.Response r = Target.get().call(route, List.of(RawHttp.line("Content-Type", "application/json")), body);
    SafeAnswer.assertSafe(r, Set.of(), route.method(), route + " with a " + body.length + "-byte body");
    assertThat(r.status()).as(r.toString()).isEqualTo(413);
  }

  @Property(tries = 6)
  void chunkedBodiesOverTheLimitAre413(@ForAll("jsonRoutes") Endpoint route, @ForAll @IntRange(min = 2, max = 40) int chunks) {
    StringBuilder head = new StringBuilder(route.method() + " " + Target.get().path(route) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n");
    for (byte[] line : Target.get().credentials(route)) {
      head.append(new String(line, StandardCharsets.UTF_8)).append("\r\n");
    }
    head.append("\r\n");
    String chunk = "x".repeat(BODY_LIMIT / 2);
    head.append(Integer.toHexString(12)).append("\r\n{\"prompt\": \"\r\n");
    for (int i = 0; i < chunks; i++) {
      head.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    head.append("0\r\n\r\n");
    RawHttp.Response r = Target.get().raw.exchange(head.toString().getBytes(StandardCharsets.US_ASCII));
    SafeAnswer.assertSafe(r, Set.of(), route.method(), route + " with " + chunks + " chunks");
    assertThat(r.status()).as(r.toString()).isEqualTo(413);
  }

  @Property(tries = 12)
  void hugeHeaderValuesAre431(@ForAll("routes") Endpoint route, @ForAll @IntRange(min = 17 * 1024, max = 256 * 1024) int size,
      @ForAll("headerNames") String name) {
    List<byte[]> lines = new ArrayList<>();
    lines.add(RawHttp.line(name, "v".repeat(size)));
    RawHttp.Response r = Target.get().call(route, lines, null);
    SafeAnswer.assertSafe(r, Set.of(), route.method(), route + " with a " + size + "-character " + name);
    assertThat(r.status()).as(r.toString()).isEqualTo(431);
  }

  @Property(tries = 8)
  void manyHeadersAre431(@ForAll("routes") Endpoint route, @ForAll @IntRange(min = 2000, max = 20_000) int count) {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(RawHttp.line("X-H" + i, "v"));
    }
    RawHttp.Response r = Target.get().call(route, lines, null);
    SafeAnswer.assertSafe(r, Set.of(), route.method(), route + " with " + count + " headers");
    assertThat(r.status()).as(r.toString()).isEqualTo(431);
  }

  @Property(tries = 8)
  void hugeUrlsAre414(@ForAll("routes") Endpoint route, @ForAll @IntRange(min = 9 * 1024, max = 128 * 1024) int size,
      @ForAll boolean inQuery) {
    String path = Target.get().path(route) + (inQuery ? "?q=" : "/") + "a".repeat(size);
    RawHttp.Response r = Target.get().raw.send(route.method(), path.getBytes(StandardCharsets.US_ASCII),
        Target.get().credentials(route), null);
    SafeAnswer.assertSafe(r, Set.of(), route.method(), route + " with a " + size + "-character " + (inQuery ? "query" : "path"));
    assertThat(r.status()).as(r.toString()).isEqualTo(414);
  }

  @Provide
  Arbitrary<String> headerNames() {
    return Arbitraries.of("x-api-key", "Authorization", "Idempotency-Key", "Prefer", "traceparent", "Content-Type", "Cookie",
        "X-Anything");
  }
}
