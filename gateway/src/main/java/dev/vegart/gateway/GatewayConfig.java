package dev.vegart.gateway;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import dev.vegart.common.config.KafkaSettings;
import dev.vegart.common.config.S3Settings;
import dev.vegart.common.tracing.OtelSettings;
import dev.vegart.gateway.db.DatabaseSettings;
import dev.vegart.gateway.jobs.ImageSize;
import dev.vegart.gateway.jobs.JobLimits;
import dev.vegart.gateway.keys.Tiers;
import dev.vegart.gateway.webhooks.WebhookConfig;
import java.time.Duration;

/**
 * Everything a gateway is configured with, read once from the environment and validated.
 *
 * @param httpPort {@code VEGART_HTTP_PORT}, default 8080
 * @param adminToken {@code VEGART_ADMIN_TOKEN}, required, at least 16 characters
 * @param keyPepper {@code VEGART_KEY_PEPPER}, required, at least 16 characters
 * @param tiers {@code VEGART_TIERS}
 * @param limits {@code VEGART_SIZES}, {@code VEGART_DEFAULT_STEPS}
 * @param imageUrlTtl {@code VEGART_IMAGE_URL_TTL}, default 1h
 * @param maxBodyBytes {@code VEGART_MAX_BODY_BYTES}, default 65536
 * @param kafkaPartitions {@code VEGART_KAFKA_PARTITIONS}: partitions of topics the gateway creates, default 12
 * @param kafkaReplication {@code VEGART_KAFKA_REPLICATION}: their replication factor, default 1
 * @param relayInterval {@code VEGART_RELAY_INTERVAL}, default 5s
 * @param relayMinAge {@code VEGART_RELAY_MIN_AGE}: age after which an unpublished job is republished, default 45s
 * @param maxBacklogSeconds {@code VEGART_MAX_BACKLOG_SECONDS}: seconds of queued GPU work above which new jobs get 503, default 600
 * @param syncTimeout {@code VEGART_SYNC_TIMEOUT}: how long the Segmind-compatible endpoint waits for its image, default 60s
 * @param expiryInterval {@code VEGART_EXPIRY_INTERVAL}: how often queued jobs are checked against their deadline, default 1s
 * @param webhooks {@code VEGART_WEBHOOK_*}: retry schedule, allow-list, timeout, concurrency (see {@link WebhookConfig})
 * @param otel {@code VEGART_OTEL_EXPORTER}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}: span export, off by default (see {@link OtelSettings})
 * @param authCacheTtl {@code VEGART_AUTH_CACHE_TTL}: how long an unlimited key's authentication is reused without a
 *     database read, 0s to 60s, default 5s (0s: never); a key revoked through another gateway is refused here
 *     within this time
 */
public record GatewayConfig(
    int httpPort,
    String adminToken,
    String keyPepper,
    Tiers tiers,
    JobLimits limits,
    Duration imageUrlTtl,
    int maxBodyBytes,
    KafkaSettings kafka,
    int kafkaPartitions,
    short kafkaReplication,
    S3Settings s3,
    DatabaseSettings database,
    Duration relayInterval,
    Duration relayMinAge,
    int maxBacklogSeconds,
    Duration syncTimeout,
    Duration expiryInterval,
    WebhookConfig webhooks,
    OtelSettings otel,
    Duration authCacheTtl) {

  public GatewayConfig {
    if (adminToken.length() < 16) {
      throw new ConfigException("VEGART_ADMIN_TOKEN", "must have at least 16 characters");
    }
    if (keyPepper.length() < 16) {
      throw new ConfigException("VEGART_KEY_PEPPER", "must have at least 16 characters");
    }
    if (syncTimeout.toMillis() < 1000 || syncTimeout.toMinutes() > 10) {
      throw new ConfigException("VEGART_SYNC_TIMEOUT", "must be between 1s and 10m, got " + syncTimeout);
    }
    if (expiryInterval.toMillis() < 100) {
      throw new ConfigException("VEGART_EXPIRY_INTERVAL", "must be at least 100ms, got " + expiryInterval);
    }
    if (authCacheTtl.toSeconds() > 60) {
      throw new ConfigException("VEGART_AUTH_CACHE_TTL", "must be at most 60s (it delays revocations), got " + authCacheTtl);
    }
  }

  public static GatewayConfig from(Env env) {
    return new GatewayConfig(
        env.integer("VEGART_HTTP_PORT", 8080, 0, 65535),
        env.required("VEGART_ADMIN_TOKEN"),
        env.required("VEGART_KEY_PEPPER"),
        Tiers.parse(env.string("VEGART_TIERS", "free=100,pro=10000,unlimited=-1")),
        new JobLimits(ImageSize.parseList(env.string("VEGART_SIZES", ImageSize.DEFAULTS)),
            env.integer("VEGART_DEFAULT_STEPS", 4, 1, 8)),
        env.duration("VEGART_IMAGE_URL_TTL", Duration.ofHours(1)),
        env.integer("VEGART_MAX_BODY_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
        KafkaSettings.from(env),
        env.integer("VEGART_KAFKA_PARTITIONS", 12, 1, 10_000),
        (short) env.integer("VEGART_KAFKA_REPLICATION", 1, 1, 10),
        S3Settings.from(env),
        DatabaseSettings.from(env),
        env.duration("VEGART_RELAY_INTERVAL", Duration.ofSeconds(5)),
        env.duration("VEGART_RELAY_MIN_AGE", Duration.ofSeconds(45)),
        env.integer("VEGART_MAX_BACKLOG_SECONDS", 600, 0, 604_800),
        env.duration("VEGART_SYNC_TIMEOUT", Duration.ofSeconds(60)),
        env.duration("VEGART_EXPIRY_INTERVAL", Duration.ofSeconds(1)),
        WebhookConfig.from(env),
        OtelSettings.from(env, "vegart-gateway"),
        env.duration("VEGART_AUTH_CACHE_TTL", Duration.ofSeconds(5)));
  }
}
