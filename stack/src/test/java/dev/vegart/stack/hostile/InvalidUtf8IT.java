package dev.vegart.stack.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Bytes that are not UTF-8 (and NUL), raw or percent-encoded, in the path, the query and the header values of
 * every route (bodies are {@link MalformedBodyIT}'s): always a safe answer. Sent over a raw socket because an
 * HTTP client refuses to.
 */
class InvalidUtf8IT {
  private static final List<byte[]> BAD = List.of(
      new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xa0, (byte) 0xa1}, new byte[] {(byte) 0xe2, 0x28, (byte) 0xa1},
      new byte[] {(byte) 0xf0, 0x28, (byte) 0x8c, (byte) 0xbc}, new byte[] {(byte) 0xc0, (byte) 0xaf},
      new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xff}, new byte[] {0x00},
      new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {0x7f});

  enum Where { PATH_RAW, PATH_ENCODED, QUERY_ENCODED, HEADER }

  @Provide
  Arbitrary<Endpoint> routes() {
    return Arbitraries.of(Endpoint.ALL);
  }

  @Provide
  Arbitrary<byte[]> badBytes() {
    return Arbitraries.of(BAD);
  }

  @Provide
  Arbitrary<String> headers() {
    return Arbitraries.of("x-api-key", "Authorization", "Idempotency-Key", "Prefer", "traceparent", "Content-Type", "Accept");
  }

  @Property(tries = 120)
  void bytesThatAreNotUtf8AreAnsweredSafely(@ForAll("routes") Endpoint route, @ForAll("badBytes") byte[] bad,
      @ForAll Where where, @ForAll("headers") String header) {
    Target t = Target.get();
    String path = t.path(route);
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    target.writeBytes(path.getBytes(StandardCharsets.US_ASCII));
    List<byte[]> lines = new ArrayList<>(t.credentials(route));
    switch (where) {
      case PATH_RAW -> target.writeBytes(bad);
      case PATH_ENCODED -> target.writeBytes(percent(bad));
      case QUERY_ENCODED -> {
        target.writeBytes("?after=".getBytes(StandardCharsets.US_ASCII));
        target.writeBytes(percent(bad));
      }
      case HEADER -> {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes((header + ": a").getBytes(StandardCharsets.US_ASCII));
        line.writeBytes(bad);
        line.writeBytes("b".getBytes(StandardCharsets.US_ASCII));
        lines.add(line.toByteArray());
      }
    }
    byte[] body = null;
    if (route.json()) {
      lines.add(RawHttp.line("Content-Type", "application/json"));
      body = "{\"prompt\": 1}".getBytes(StandardCharsets.US_ASCII);
    }
    RawHttp.Response r = t.raw.send(route.method(), target.toByteArray(), lines, body);
    SafeAnswer.assertSafe(r, route.success(), route.method(),
        route + " with " + HexFormat.of().formatHex(bad) + " in the " + where + (where == Where.HEADER ? " " + header : ""));
  }

  private static byte[] percent(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append('%').append(String.format("%02X", x & 0xff));
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
