package dev.vegart.stack.observability;

import dev.vegart.stack.embedded.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoublePredicate;

/**
 * A real Prometheus server (the Debian package's binary) on loopback, scraping given targets every second
 * and evaluating the canonical rule file, for integration tests. Its output goes to a log file in its
 * directory, shown when it fails to start.
 */
final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** The binary on the PATH, if installed. */
  static Optional<Path> binary() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "prometheus");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts Prometheus with one scrape job per {@code jobs} entry ({@code name=host:port}) and the rules file,
   * and waits until it is ready.
   */
  static PrometheusServer start(Path binary, List<String> jobs, Path rules) throws Exception {
    Path dir = Files.createTempDirectory("vegart-prometheus-");
    int port = Ports.free();
    StringBuilder config = new StringBuilder("""
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
        """.formatted(rules.toAbsolutePath()));
    for (String job : jobs) {
      String[] nameTarget = job.split("=", 2);
      config.append("""
            - job_name: %s
              static_configs:
                - targets: ["%s"]
          """.formatted(nameTarget[0], nameTarget[1]));
    }
    Files.writeString(dir.resolve("prometheus.yml"), config);
    Process process = new ProcessBuilder(binary.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    PrometheusServer server = new PrometheusServer(process, dir, port);
    server.awaitReady(Duration.ofSeconds(30));
    return server;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      LockSupport.parkNanos(100_000_000L);
    }
    throw new IllegalStateException("prometheus not ready after " + timeout + ": " + Files.readString(dir.resolve("prometheus.log")));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The instant vector of a PromQL query. */
  JsonArray query(String promql) throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonObject body = new JsonObject(r.body());
    if (!"success".equals(body.getString("status"))) {
      throw new AssertionError(promql + ": " + r.body());
    }
    return body.getJsonObject("data").getJsonArray("result");
  }

  /** The value of a query that yields one sample; empty while it yields none. */
  OptionalDouble scalar(String promql) throws Exception {
    JsonArray result = query(promql);
    if (result.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (result.size() > 1) {
      throw new AssertionError(promql + " has " + result.size() + " series: " + result.encode());
    }
    return OptionalDouble.of(Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)));
  }

  /** Polls {@code promql} until its value satisfies {@code condition}; returns that value. */
  double await(String promql, DoublePredicate condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    OptionalDouble last = OptionalDouble.empty();
    while (System.nanoTime() < deadline) {
      last = scalar(promql);
      if (last.isPresent() && condition.test(last.getAsDouble())) {
        return last.getAsDouble();
      }
      LockSupport.parkNanos(250_000_000L);
    }
    throw new AssertionError(promql + " did not reach the expected value in " + timeout + "; last: " + last);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
