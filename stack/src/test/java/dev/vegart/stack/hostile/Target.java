package dev.vegart.stack.hostile;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway under attack: the shared stack, an unlimited key of its own (so quota never hides a fault),
 * one finished job of that key with one image, and a spare key the admin routes may revoke. Built once per
 * test JVM; jqwik properties share it.
 */
final class Target {
  private static Target instance;

  final LocalStack stack;
  final RawHttp raw;
  final Http http;
  final String key;
  final String jobId;
  final String spareKeyId;

  private Target(LocalStack stack, RawHttp raw, Http http, String key, String jobId, String spareKeyId) {
    this.stack = stack;
    this.raw = raw;
    this.http = http;
    this.key = key;
    this.jobId = jobId;
    this.spareKeyId = spareKeyId;
  }

  static synchronized Target get() {
    if (instance == null) {
      LocalStack stack = SharedStack.get();
      Http http = new Http(stack.url());
      String key = http.createKey(stack.adminToken(), "unlimited");
      HttpResponse<String> submitted = http.postJson("/v1/jobs", HostileJson.VALID_JOB, key);
      if (submitted.statusCode() != 202) {
        throw new AssertionError("the seed job was refused: " + submitted.body());
      }
      String jobId = new JsonObject(submitted.body()).getString("id");
      http.awaitTerminal(jobId, key, Duration.ofSeconds(120));
      HttpResponse<String> spare = http.send("POST", "/admin/v1/keys", "{\"name\": \"spare\"}",
          Map.of("Content-Type", "application/json", "Authorization", "Bearer " + stack.adminToken()));
      instance = new Target(stack, new RawHttp(URI.create(stack.url()).getPort()), http, key, jobId,
          new JsonObject(spare.body()).getString("id"));
    }
    return instance;
  }

  /** The credential header lines an endpoint needs. */
  List<byte[]> credentials(Endpoint endpoint) {
    List<byte[]> lines = new ArrayList<>();
    switch (endpoint.auth()) {
      case KEY -> lines.add(RawHttp.line("x-api-key", key));
      case ADMIN -> lines.add(RawHttp.line("Authorization", "Bearer " + stack.adminToken()));
      case NONE -> { }
    }
    return lines;
  }

  /** The endpoint's path on this target's own job, image 0 and spare key. */
  String path(Endpoint endpoint) {
    return endpoint.path(jobId, 0, spareKeyId);
  }

  /** Calls {@code endpoint} with its credentials, {@code extra} header lines and {@code body} (null for none). */
  RawHttp.Response call(Endpoint endpoint, List<byte[]> extra, byte[] body) {
    List<byte[]> lines = credentials(endpoint);
    lines.addAll(extra);
    return raw.send(endpoint.method(), path(endpoint).getBytes(StandardCharsets.US_ASCII), lines, body, deadline(endpoint));
  }

  /** How long the endpoint may take: the Segmind endpoint waits for its image by design. */
  static Duration deadline(Endpoint endpoint) {
    return endpoint.template().contains("segmind") ? RawHttp.SYNC_DEADLINE : RawHttp.DEADLINE;
  }
}
