package dev.vegart.gateway.webhooks;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Renders a job as its owner sees it ({@code GET /v1/jobs/{id}}, with fresh image URLs): the {@code data} of a
 * webhook payload. Supplied by the jobs feature so webhooks do not depend on it.
 */
@FunctionalInterface
public interface JobSnapshots {
  Future<Optional<JsonObject>> render(String jobId, String keyId);
}
