package dev.vegart.gateway.keys;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Authenticated keys without a daily limit, remembered for {@code VEGART_AUTH_CACHE_TTL} by the key's peppered
 * hash, so a busy client costs no database read per request. Only unlimited keys: a limited key's count of used
 * images goes into every RateLimit header and the refusal of a submit that cannot fit, so it is read fresh each
 * time. A key revoked through this gateway is forgotten at once; one revoked through another gateway (or in SQL)
 * is still accepted here until its entry expires, at most the TTL after it was read. Thread-safe.
 */
final class KeyCache {
  /** Beyond this many keys the cache starts over rather than grow (only a flood of distinct unlimited keys). */
  static final int MAX_ENTRIES = 10_000;

  private record Entry(ApiKey key, long expiresAtNanos) {}

  private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier nanoTime;

  /** {@code ttl} zero disables the cache; {@code nanoTime} is {@code System::nanoTime} but in tests. */
  KeyCache(Duration ttl, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The key authenticated under {@code hash} less than the TTL ago, if any. */
  Optional<ApiKey> get(String hash) {
    Entry entry = byHash.get(hash);
    if (entry == null) {
      return Optional.empty();
    }
    if (nanoTime.getAsLong() - entry.expiresAtNanos() >= 0) {
      byHash.remove(hash, entry);
      return Optional.empty();
    }
    return Optional.of(entry.key());
  }

  /** Remembers a key just read from the database as active; ignored for a key with a daily limit. */
  void put(String hash, ApiKey key) {
    if (ttlNanos == 0 || key.dailyLimit() != Tiers.UNLIMITED) {
      return;
    }
    if (byHash.size() >= MAX_ENTRIES) {
      byHash.clear();
    }
    byHash.put(hash, new Entry(key, nanoTime.getAsLong() + ttlNanos));
  }

  /** Forgets the key (it was revoked). */
  void evict(String keyId) {
    byHash.values().removeIf(entry -> entry.key().id().equals(keyId));
  }
}
