package dev.vegart.worker.scheduling;

import dev.vegart.common.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which batching policy the device scheduler uses ({@code VEGART_SCHEDULER_POLICY}). */
public enum SchedulingPolicy {
  /** One job at a time, run to completion. */
  NONE,
  /** Group by (size, steps, decoder); dispatch at max batch or max delay; run to completion. */
  BUCKET,
  /** Step-level continuous batching: jobs join and leave the running UNet batch at step boundaries. */
  CONTINUOUS;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SchedulingPolicy parse(String key, String text) {
    return Arrays.stream(values())
        .filter(p -> p.wire().equals(text.trim().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new ConfigException(key, "must be one of "
            + Arrays.stream(values()).map(SchedulingPolicy::wire).collect(Collectors.joining(", "))
            + ", got '" + text + "'"));
  }
}
