package dev.vegart.stack;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small blocking HTTP client for tests (test threads may block). */
public final class Http {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final String base;

  public Http(String base) {
    this.base = base;
  }

  public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
        .timeout(Duration.ofSeconds(70))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(req::header);
    try {
      return client.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  public HttpResponse<byte[]> getBytes(String url) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError("GET " + url + " failed: " + e, e);
    }
  }

  public HttpResponse<String> postJson(String path, String body, String apiKey) {
    return send("POST", path, body, Map.of("Content-Type", "application/json", "x-api-key", apiKey));
  }

  public HttpResponse<String> get(String path, String apiKey) {
    return send("GET", path, null, Map.of("x-api-key", apiKey));
  }

  /** Creates a key through the admin API and returns it. */
  public String createKey(String adminToken, String tier) {
    HttpResponse<String> r = send("POST", "/admin/v1/keys", new JsonObject().put("tier", tier).encode(),
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + adminToken));
    if (r.statusCode() != 201) {
      throw new AssertionError("key creation answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("key");
  }

  /** Polls a job until it reaches a terminal status or the deadline passes. */
  public JsonObject awaitTerminal(String jobId, String apiKey, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject job;
    do {
      job = new JsonObject(get("/v1/jobs/" + jobId, apiKey).body());
      String status = job.getString("status");
      if (!"queued".equals(status) && !"running".equals(status)) {
        return job;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("job " + jobId + " not finished after " + timeout + ": " + job.encode());
  }
}
