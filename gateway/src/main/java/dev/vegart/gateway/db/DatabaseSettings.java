package dev.vegart.gateway.db;

import dev.vegart.common.config.Env;
import java.util.Optional;

/**
 * @param url {@code VEGART_DATABASE_URL}, e.g. {@code postgresql://db:5432/vegart}
 * @param user {@code VEGART_DATABASE_USER} (or in the URL)
 * @param password {@code VEGART_DATABASE_PASSWORD} (or in the URL)
 * @param poolSize {@code VEGART_DATABASE_POOL_SIZE}, default 16 connections per gateway
 * @param sslMode {@code VEGART_DATABASE_SSL_MODE}: disable | allow | prefer | require | verify-ca | verify-full, or null
 */
public record DatabaseSettings(String url, Optional<String> user, Optional<String> password, int poolSize, String sslMode) {
  public static DatabaseSettings from(Env env) {
    return new DatabaseSettings(
        env.string("VEGART_DATABASE_URL", "postgresql://localhost:5432/vegart"),
        env.get("VEGART_DATABASE_USER"),
        env.get("VEGART_DATABASE_PASSWORD"),
        env.integer("VEGART_DATABASE_POOL_SIZE", 16, 1, 1000),
        env.get("VEGART_DATABASE_SSL_MODE").orElse(null));
  }
}
