package dev.vegart.gateway.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's answer to a request its decoder refused before any route saw it (a header or request line
 * too long, a header line that is not one, a NUL or bare CR in a header): the same {@code application/problem+json}
 * as every other refusal (414, 431 or 400), then the connection is closed, since the rest of its bytes cannot be
 * trusted. Vert.x's default answers an empty body or just closes the connection.
 */
public final class InvalidRequests {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidRequests.class);

  private InvalidRequests() {}

  /**
   * Wraps the router: a request that makes routing throw before any route runs (Vert.x 5.0.7 throws
   * StringIndexOutOfBoundsException on some malformed Host headers, e.g. {@code Host: %0aX}) would otherwise be left
   * unanswered until the client gives up; it gets a 400 problem instead.
   */
  public static Handler<HttpServerRequest> guard(Handler<HttpServerRequest> router) {
    return request -> {
      try {
        router.handle(request);
      } catch (RuntimeException e) {
        LOG.warn("request {} {} could not be routed: {}", request.method(), shorten(request.path()), e.toString());
        if (!request.response().headWritten()) {
          answer(request, 400, "bad-request", "Bad request", "the request could not be routed (a malformed Host header?)");
        }
      }
    };
  }

  public static void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    int status = 400;
    String type = "bad-request";
    String title = "Bad request";
    String detail = "the request is not valid HTTP/1.1 (a malformed request line or header)";
    if (cause instanceof TooLongFrameException tooLong) {
      String message = String.valueOf(tooLong.getMessage());
      if (message.startsWith("An HTTP line is larger than")) {
        status = 414;
        type = "uri-too-long";
        title = "URI too long";
        detail = "the request line exceeds 8 KiB";
      } else {
        status = 431;
        type = "headers-too-large";
        title = "Request header fields too large";
        detail = "the request headers exceed 16 KiB";
      }
    }
    answer(request, status, type, title, detail);
  }

  private static void answer(HttpServerRequest request, int status, String type, String title, String detail) {
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/problem+json")
        .putHeader("Connection", "close")
        .end(new JsonObject()
            .put("type", Problems.TYPE_BASE + type)
            .put("title", title)
            .put("status", status)
            .put("detail", detail)
            .encode())
        .onComplete(done -> request.connection().close());
  }

  private static String shorten(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
