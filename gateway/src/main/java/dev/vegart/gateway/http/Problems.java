package dev.vegart.gateway.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one failure handler: every error leaves as {@code application/problem+json}. Unexpected
 * failures are logged with their stack trace and answered 503 without internals in the body.
 */
public final class Problems {
  public static final String TYPE_BASE = "https://vegart.dev/problems/";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    ProblemException problem;
    if (!decodablePath(ctx)) {
      // Vert.x Web cannot route a path with an invalid percent-encoding and fails it with whatever it hit.
      problem = InputGuards.malformedPath();
    } else if (failure instanceof ProblemException p) {
      problem = p;
    } else if (failure instanceof io.vertx.core.json.DecodeException) {
      problem = ProblemException.of(400, "malformed-json", "Malformed JSON", "the body is not valid JSON");
    } else if (failure instanceof HttpException http) {
      problem = fromStatus(http.getStatusCode(), http.getPayload());
    } else if (failure == null) {
      problem = fromStatus(ctx.statusCode(), null);
    } else if (failure instanceof io.netty.handler.codec.DecoderException) {
      // A form body (multipart or urlencoded) that Netty could not decode: no route reads one.
      problem = ProblemException.of(400, "malformed-body", "Malformed body", "the body could not be decoded as its Content-Type says");
    } else if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2 && ctx.request().authority() == null) {
      // Vert.x fails a request whose Host header is missing or unparseable: the client's fault, not ours.
      problem = ProblemException.of(400, "bad-request", "Bad request", "send one valid Host header");
    } else {
      LOG.error("request {} {} failed", ctx.request().method(), path(ctx), failure);
      problem = ProblemException.unavailable("the service could not complete the request; retry later", 5);
    }
    send(ctx, problem);
  }

  /** The normalized path, or the raw one when its percent-encoding is invalid (normalizing it would throw). */
  public static String path(RoutingContext ctx) {
    try {
      return ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      return ctx.request().path();
    }
  }

  private static boolean decodablePath(RoutingContext ctx) {
    if (ctx.request().path() == null || !InputGuards.validPercentEncoding(ctx.request().path())) {
      return false;
    }
    try {
      ctx.normalizedPath();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static void send(RoutingContext ctx, ProblemException problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    JsonObject body = new JsonObject()
        .put("type", TYPE_BASE + problem.type())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.getMessage());
    if (!problem.errors().isEmpty()) {
      JsonArray errors = new JsonArray();
      for (FieldError e : problem.errors()) {
        JsonObject item = new JsonObject().put("field", e.field()).put("message", e.message());
        if (!e.allowed().isEmpty()) {
          item.put("allowed", new JsonArray(e.allowed()));
        }
        errors.add(item);
      }
      body.put("errors", errors);
    }
    for (Map.Entry<String, String> h : problem.headers().entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(body.encode());
  }

  private static ProblemException fromStatus(int status, String payload) {
    return switch (status) {
      case 400 -> ProblemException.of(400, "bad-request", "Bad request", payload != null ? payload : "the request could not be read");
      case 404 -> ProblemException.of(404, "not-found", "Not found", "no such resource");
      case 405 -> ProblemException.of(405, "method-not-allowed", "Method not allowed", "this resource does not accept that method");
      case 413 -> ProblemException.of(413, "body-too-large", "Request body too large", "the request body exceeds the limit");
      case 415 -> ProblemException.of(415, "unsupported-media-type", "Unsupported media type", "send Content-Type: application/json");
      default -> status >= 400 && status < 500
          ? ProblemException.of(status, "client-error", "Client error", payload != null ? payload : "the request was refused")
          : ProblemException.unavailable("the service could not complete the request; retry later", 5);
    };
  }
}
