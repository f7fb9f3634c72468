package dev.vegart.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private static final ApiKey UNLIMITED = new ApiKey("key_u", "unlimited", Tiers.UNLIMITED);
  private static final ApiKey FREE = new ApiKey("key_f", "free", 100);

  private final AtomicLong now = new AtomicLong(1_000);
  private final KeyCache cache = new KeyCache(Duration.ofSeconds(5), now::get);

  @Test
  void anUnlimitedKeyIsReusedUntilItsTtlEnds() {
    cache.put("hash-u", UNLIMITED);
    now.addAndGet(Duration.ofMillis(4_999).toNanos());
    assertThat(cache.get("hash-u")).contains(UNLIMITED);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(cache.get("hash-u")).isEmpty();
  }

  @Test
  void aKeyWithADailyLimitIsNeverCachedSinceItsCountMustBeFresh() {
    cache.put("hash-f", FREE);
    assertThat(cache.get("hash-f")).isEmpty();
  }

  @Test
  void aRevokedKeyIsForgottenAtOnce() {
    cache.put("hash-u", UNLIMITED);
    cache.put("hash-other", new ApiKey("key_other", "unlimited", Tiers.UNLIMITED));
    cache.evict("key_u");
    assertThat(cache.get("hash-u")).isEmpty();
    assertThat(cache.get("hash-other")).isPresent();
  }

  @Test
  void aZeroTtlCachesNothing() {
    KeyCache off = new KeyCache(Duration.ZERO, now::get);
    off.put("hash-u", UNLIMITED);
    assertThat(off.get("hash-u")).isEmpty();
  }

  @Test
  void aFloodOfDistinctKeysDoesNotGrowItWithoutBound() {
    for (int i = 0; i <= KeyCache.MAX_ENTRIES; i++) {
      cache.put("hash-" + i, new ApiKey("key_" + i, "unlimited", Tiers.UNLIMITED));
    }
    assertThat(cache.get("hash-" + KeyCache.MAX_ENTRIES)).isPresent();
    assertThat(cache.get("hash-0")).isEmpty();
  }
}
