package dev.vegart.stack.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The gateway's HTTP API as the commands use it: JSON in and out, every failure turned into a {@link CliException}
 * with a plain message (from the problem+json body) and the matching {@link Exit} code. Blocking; one per command.
 */
final class ApiClient {
  // HTTP/1.1: a clear-text HTTP/2 upgrade attempt buys nothing against the gateway (it answers in HTTP/1.1).
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
  private final URI base;
  private final Map<String, String> auth;

  /** @param auth the credential header, e.g. {@code x-api-key: KEY} */
  ApiClient(String baseUrl, Map<String, String> auth) {
    String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    try {
      this.base = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new CliException(Exit.USAGE, "VEGART_URL is not a URL: " + baseUrl);
    }
    if (base.getScheme() == null || !base.getScheme().startsWith("http") || base.getHost() == null) {
      throw new CliException(Exit.USAGE, "VEGART_URL must be like http://host:8080, got " + baseUrl);
    }
    this.auth = Map.copyOf(auth);
  }

  String baseUrl() {
    return base.toString();
  }

  /** Sends a request and returns the response as it is (any status); network failures are {@link Exit#UNAVAILABLE}. */
  HttpResponse<String> send(String method, String path, JsonObject body) {
    HttpRequest.Builder req = request(path).timeout(Duration.ofSeconds(90))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.UNAVAILABLE, "interrupted");
    }
  }

  /** Sends a request and returns its JSON body when the status is 2xx; otherwise fails with the problem's message. */
  JsonObject json(String method, String path, JsonObject body) {
    HttpResponse<String> response = send(method, path, body);
    if (response.statusCode() / 100 != 2) {
      throw problem(response);
    }
    if (response.body() == null || response.body().isEmpty()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new CliException(Exit.UNAVAILABLE, "the gateway answered " + response.statusCode() + " with a body that is not JSON");
    }
  }

  /** Opens a line stream ({@code text/event-stream}); fails like {@link #json} on a non-2xx status. */
  Stream<String> lines(String path, Duration timeout) throws IOException, InterruptedException {
    HttpRequest req = request(path).timeout(timeout).header("Accept", "text/event-stream").GET().build();
    HttpResponse<Stream<String>> response = http.send(req, HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() / 100 != 2) {
      String body = String.join("\n", response.body().toList());
      throw problem(response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null));
    }
    return response.body();
  }

  /** Downloads an image from its (presigned, absolute) URL. */
  byte[] download(String url) {
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new CliException(Exit.UNAVAILABLE, "the image store answered " + r.statusCode() + " for an image URL");
      }
      return r.body();
    } catch (IOException e) {
      throw new CliException(Exit.UNAVAILABLE, "cannot download the image: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.UNAVAILABLE, "interrupted");
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    auth.forEach(b::header);
    return b;
  }

  private CliException unreachable(IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new CliException(Exit.UNAVAILABLE, "cannot reach the gateway at " + base + " (" + why + "); is it running? (VEGART_URL)");
  }

  static CliException problem(HttpResponse<String> response) {
    return problem(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null));
  }

  /** The plain message and exit code for a refused request, from its problem+json body when there is one. */
  static CliException problem(int status, String body, String retryAfter) {
    JsonObject problem = parse(body);
    String detail = problem.getString("detail", problem.getString("title", "HTTP " + status));
    StringBuilder msg = new StringBuilder(detail);
    JsonArray errors = problem.getJsonArray("errors", new JsonArray());
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      msg.append("\n  ").append(e.getString("field")).append(": ").append(e.getString("message"));
      JsonArray allowed = e.getJsonArray("allowed");
      if (allowed != null && !allowed.isEmpty()) {
        msg.append(" (allowed: ").append(String.join(", ", allowed.stream().map(String::valueOf).toList())).append(')');
      }
    }
    if (status == 429) {
      String wait = seconds(retryAfter) < 0 ? "" : " (resets in " + Durations.human(seconds(retryAfter)) + ")";
      return new CliException(Exit.QUOTA, "quota used up: " + msg + wait);
    }
    if (status >= 500) {
      String wait = seconds(retryAfter) < 0 ? "" : "; retry in " + Durations.human(seconds(retryAfter));
      return new CliException(Exit.UNAVAILABLE, "the gateway is unavailable (" + status + "): " + msg + wait);
    }
    String what = switch (status) {
      case 400 -> "invalid request";
      case 401 -> "not authorized";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 409 -> "conflict";
      default -> "refused (" + status + ")";
    };
    return new CliException(Exit.REJECTED, what + ": " + msg);
  }

  /** Retry-After in seconds, or -1 when absent or an HTTP date. */
  private static long seconds(String retryAfter) {
    try {
      return retryAfter == null ? -1 : Long.parseLong(retryAfter.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static JsonObject parse(String body) {
    try {
      return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }
}
