package dev.vegart.stack.api;

import dev.vegart.stack.Http;
import java.util.Map;

/** Small shared steps of the API tests. */
final class JobLifecycleITSupport {
  private JobLifecycleITSupport() {}

  /** Cancels a job (cleanup of parked jobs, so they do not count as backlog for later tests). */
  static void cancel(Http http, String id, String key) {
    http.send("DELETE", "/v1/jobs/" + id, null, Map.of("x-api-key", key));
  }
}
