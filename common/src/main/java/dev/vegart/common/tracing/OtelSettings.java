package dev.vegart.common.tracing;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Whether and where a component exports its spans, read from the environment and validated.
 *
 * @param enabled {@code VEGART_OTEL_EXPORTER}: {@code none} (default) or {@code otlp}
 * @param endpoint {@code OTEL_EXPORTER_OTLP_ENDPOINT}: the collector's OTLP/HTTP base URL, default
 *     {@code http://localhost:4318}; spans are POSTed to {@code <endpoint>/v1/traces} as http/protobuf
 * @param serviceName {@code OTEL_SERVICE_NAME}: the {@code service.name} resource attribute, default per component
 * @param scheduleDelay {@code OTEL_BSP_SCHEDULE_DELAY}: milliseconds between two exports of the span batch, default 5000
 */
public record OtelSettings(boolean enabled, URI endpoint, String serviceName, Duration scheduleDelay) {
  public static final String EXPORTER = "VEGART_OTEL_EXPORTER";
  public static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

  public OtelSettings {
    String scheme = endpoint.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
      throw new ConfigException(ENDPOINT, "must be an http:// or https:// URL, got '" + endpoint + "'");
    }
    if (scheduleDelay.isNegative() || scheduleDelay.isZero()) {
      throw new ConfigException("OTEL_BSP_SCHEDULE_DELAY", "must be a positive number of milliseconds");
    }
  }

  /** Export switched off: spans are neither recorded nor sent; trace ids are still propagated. */
  public static OtelSettings off(String serviceName) {
    return new OtelSettings(false, URI.create("http://localhost:4318"), serviceName, Duration.ofSeconds(5));
  }

  public static OtelSettings from(Env env, String defaultServiceName) {
    boolean enabled = switch (env.string(EXPORTER, "none").toLowerCase(Locale.ROOT)) {
      case "none" -> false;
      case "otlp" -> true;
      default -> throw new ConfigException(EXPORTER, "must be none or otlp, got '" + env.string(EXPORTER, "") + "'");
    };
    String raw = env.string(ENDPOINT, "http://localhost:4318");
    URI endpoint;
    try {
      endpoint = URI.create(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ENDPOINT, "is not a URL: '" + raw + "'");
    }
    int delayMs = env.integer("OTEL_BSP_SCHEDULE_DELAY", 5000, 1, 3_600_000);
    return new OtelSettings(enabled, endpoint, env.string("OTEL_SERVICE_NAME", defaultServiceName), Duration.ofMillis(delayMs));
  }

  /** Where the span batches go: the endpoint with {@code /v1/traces}, as the OTLP specification derives it. */
  public String tracesUrl() {
    String base = endpoint.toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
  }
}
