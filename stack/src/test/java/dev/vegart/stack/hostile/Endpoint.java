package dev.vegart.stack.hostile;

import java.util.List;
import java.util.Set;

/**
 * One route of the gateway, as read from {@code HttpVerticle} and the route classes it mounts, with the
 * statuses it may answer to a valid request: its 2xx/3xx, and a documented 5xx such as the Segmind
 * endpoint's 504 (anything else must be a 4xx problem).
 *
 * @param method the HTTP method
 * @param template the path with {@code {id}}, {@code {index}} and {@code {key}} placeholders
 * @param auth who may call it
 * @param json whether it reads a JSON body
 * @param success the documented 2xx/3xx statuses
 */
record Endpoint(String method, String template, Auth auth, boolean json, Set<Integer> success) {
  enum Auth { NONE, KEY, ADMIN }

  /** Every route, public first. {@link EndpointCatalogIT} keeps this in step with the OpenAPI document. */
  static final List<Endpoint> ALL = List.of(
      new Endpoint("GET", "/health/live", Auth.NONE, false, Set.of(200)),
      new Endpoint("GET", "/health/ready", Auth.NONE, false, Set.of(200)),
      new Endpoint("GET", "/openapi.json", Auth.NONE, false, Set.of(200)),
      new Endpoint("GET", "/metrics", Auth.NONE, false, Set.of(200)),
      new Endpoint("GET", "/", Auth.NONE, false, Set.of(200, 304)),
      new Endpoint("POST", "/v1/jobs", Auth.KEY, true, Set.of(200, 202)),
      new Endpoint("GET", "/v1/jobs/{id}", Auth.KEY, false, Set.of(200)),
      new Endpoint("DELETE", "/v1/jobs/{id}", Auth.KEY, false, Set.of(200, 202)),
      new Endpoint("GET", "/v1/jobs/{id}/images/{index}", Auth.KEY, false, Set.of(302)),
      new Endpoint("GET", "/v1/jobs/{id}/events", Auth.KEY, false, Set.of(200)),
      new Endpoint("GET", "/v1/jobs/{id}/webhook-deliveries", Auth.KEY, false, Set.of(200)),
      new Endpoint("POST", "/v1/jobs/{id}/webhook-deliveries/redeliver", Auth.KEY, true, Set.of(202)),
      new Endpoint("POST", "/v1/webhook-secret/rotate", Auth.KEY, true, Set.of(200)),
      new Endpoint("GET", "/v1/usage", Auth.KEY, false, Set.of(200)),
      // 504 (problem) is its documented answer when the image is not ready within VEGART_SYNC_TIMEOUT.
      new Endpoint("POST", "/v1/segmind-vega-rt-v1", Auth.KEY, true, Set.of(200, 504)),
      new Endpoint("POST", "/admin/v1/keys", Auth.ADMIN, true, Set.of(201)),
      new Endpoint("GET", "/admin/v1/keys", Auth.ADMIN, false, Set.of(200)),
      new Endpoint("DELETE", "/admin/v1/keys/{key}", Auth.ADMIN, false, Set.of(204)),
      new Endpoint("GET", "/admin/v1/keys/{key}/usage", Auth.ADMIN, false, Set.of(200)));

  /** The routes that read a JSON body. */
  static List<Endpoint> withJsonBody() {
    return ALL.stream().filter(Endpoint::json).toList();
  }

  /** The path with the placeholders filled in. */
  String path(String jobId, int index, String keyId) {
    return template.replace("{id}", jobId).replace("{index}", Integer.toString(index)).replace("{key}", keyId);
  }

  @Override
  public String toString() {
    return method + " " + template;
  }
}
