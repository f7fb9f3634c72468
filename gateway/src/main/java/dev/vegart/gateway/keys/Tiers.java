package dev.vegart.gateway.keys;

import dev.vegart.common.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Daily image limits per tier, from {@code VEGART_TIERS} (default {@code free=100,pro=10000,unlimited=-1};
 * -1 means no limit). The free tier always exists.
 */
public record Tiers(Map<String, Integer> dailyLimits) {
  public static final String FREE = "free";
  public static final int UNLIMITED = -1;

  public Tiers {
    dailyLimits = Map.copyOf(dailyLimits);
    if (!dailyLimits.containsKey(FREE)) {
      throw new ConfigException("VEGART_TIERS", "must define the free tier");
    }
  }

  public static Tiers parse(String spec) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=");
      if (kv.length != 2 || !kv[0].matches("[a-z0-9_-]{1,32}")) {
        throw new ConfigException("VEGART_TIERS", "must look like free=100,pro=10000,unlimited=-1, got '" + spec + "'");
      }
      try {
        int limit = Integer.parseInt(kv[1].trim());
        if (limit < UNLIMITED) {
          throw new ConfigException("VEGART_TIERS", "limits must be >= 0 or -1 (unlimited), got " + limit);
        }
        limits.put(kv[0], limit);
      } catch (NumberFormatException e) {
        throw new ConfigException("VEGART_TIERS", "limit of " + kv[0] + " must be an integer");
      }
    }
    return new Tiers(limits);
  }

  public Optional<Integer> limit(String tier) {
    return Optional.ofNullable(dailyLimits.get(tier));
  }
}
