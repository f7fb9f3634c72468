package dev.vegart.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Route handlers that refuse, as 400 problems, input no route can take and that would otherwise fail deep down:
 * a NUL in the URL (PostgreSQL text refuses U+0000, so a job id or cursor holding one would fail the query), a path
 * whose percent-encoding is not {@code %} and two hex digits (Vert.x reads {@code %+a} as 0x0a and then fails the
 * request with a 500 further on), and a
 * body that is not UTF-8 (JSON must be UTF-8, RFC 8259; decoding leniently would turn the bad bytes into U+FFFD and
 * accept a prompt the client never sent). Both are cheap: URLs are at most 8 KiB, bodies at most
 * {@code VEGART_MAX_BODY_BYTES}.
 */
public final class InputGuards {
  private InputGuards() {}

  /** Mount before the routes. */
  public static void urlWithoutNul(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (uri.indexOf('\0') >= 0 || uri.toLowerCase(Locale.ROOT).contains("%00")) {
      ctx.fail(ProblemException.of(400, "malformed-url", "Malformed URL", "the URL must not contain NUL (%00)"));
      return;
    }
    if (!validPercentEncoding(ctx.request().path())) {
      ctx.fail(malformedPath());
      return;
    }
    ctx.next();
  }

  /** Whether every {@code %} in {@code path} starts a {@code %XX} with two hex digits. */
  public static boolean validPercentEncoding(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  public static ProblemException malformedPath() {
    return ProblemException.of(400, "malformed-path", "Malformed path", "the path has an invalid percent-encoding");
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 128;
  }

  /** Mount right after the body handler. */
  public static void utf8Body(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body != null && body.length() > 0 && !isUtf8(body)) {
      ctx.fail(ProblemException.of(400, "malformed-json", "Malformed JSON", "the body is not valid UTF-8"));
      return;
    }
    ctx.next();
  }

  static boolean isUtf8(Buffer body) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
