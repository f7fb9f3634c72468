package dev.vegart.gateway.keys;

/**
 * An authenticated caller.
 *
 * @param id the key's public id ({@code key_...}), safe to log
 * @param tier its tier name
 * @param dailyLimit images per UTC day, or {@link Tiers#UNLIMITED}
 */
public record ApiKey(String id, String tier, int dailyLimit) {}
