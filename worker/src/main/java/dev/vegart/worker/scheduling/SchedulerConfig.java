package dev.vegart.worker.scheduling;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import java.time.Duration;

/**
 * Device scheduler settings. Immutable; validated at construction.
 *
 * @param policy which batching policy runs ({@code VEGART_SCHEDULER_POLICY}, default continuous)
 * @param maxBatchSize most images per device call of any stage ({@code VEGART_MAX_BATCH_SIZE}, default 8)
 * @param maxBatchDelay bucket policy: longest the oldest job of a bucket waits for batch-mates
 *     ({@code VEGART_MAX_BATCH_DELAY}, default 0ms: the tuned best, see DESIGN.md)
 * @param maxQueuedImages images admitted but not yet started that the scheduler accepts; what the Kafka
 *     consumer may hold beyond the running work ({@code VEGART_MAX_QUEUED_IMAGES}, default 2 x max batch)
 * @param decodeMaxWait continuous policy: longest a finished image waits for decode batch-mates while
 *     other work is queued ({@code VEGART_DECODE_MAX_WAIT}, default 1s)
 * @param memoryBudget optional per-size cap on the batch ({@code VEGART_GPU_MEMORY_BUDGET_GIB}); null for none
 */
public record SchedulerConfig(
    SchedulingPolicy policy,
    int maxBatchSize,
    Duration maxBatchDelay,
    int maxQueuedImages,
    Duration decodeMaxWait,
    MemoryBudget memoryBudget) {

  public static final String POLICY = "VEGART_SCHEDULER_POLICY";
  public static final String MAX_BATCH_SIZE = "VEGART_MAX_BATCH_SIZE";
  public static final String MAX_BATCH_DELAY = "VEGART_MAX_BATCH_DELAY";
  public static final String MAX_QUEUED_IMAGES = "VEGART_MAX_QUEUED_IMAGES";
  public static final String DECODE_MAX_WAIT = "VEGART_DECODE_MAX_WAIT";
  public static final String GPU_MEMORY_BUDGET_GIB = "VEGART_GPU_MEMORY_BUDGET_GIB";

  public static final int DEFAULT_MAX_BATCH_SIZE = 8;
  public static final Duration DEFAULT_MAX_BATCH_DELAY = Duration.ZERO;
  public static final Duration DEFAULT_DECODE_MAX_WAIT = Duration.ofSeconds(1);

  public SchedulerConfig {
    if (policy == null) {
      throw new ConfigException(POLICY, "is required");
    }
    if (maxBatchSize < 1) {
      throw new ConfigException(MAX_BATCH_SIZE, "must be at least 1, got " + maxBatchSize);
    }
    if (maxBatchDelay == null || maxBatchDelay.isNegative()) {
      throw new ConfigException(MAX_BATCH_DELAY, "must be a duration of 0ms or more");
    }
    if (maxQueuedImages < 1) {
      throw new ConfigException(MAX_QUEUED_IMAGES, "must be at least 1, got " + maxQueuedImages);
    }
    if (decodeMaxWait == null || decodeMaxWait.isNegative()) {
      throw new ConfigException(DECODE_MAX_WAIT, "must be a duration of 0ms or more");
    }
  }

  /** Defaults for {@code policy}: what an unset environment gives. */
  public static SchedulerConfig defaults(SchedulingPolicy policy) {
    return new SchedulerConfig(policy, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_DELAY,
        2 * DEFAULT_MAX_BATCH_SIZE, DEFAULT_DECODE_MAX_WAIT, null);
  }

  public static SchedulerConfig fromEnv(Env env) {
    SchedulingPolicy policy = SchedulingPolicy.parse(POLICY, env.string(POLICY, "continuous"));
    int maxBatch = env.integer(MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_SIZE, 1, 256);
    return new SchedulerConfig(
        policy,
        maxBatch,
        env.duration(MAX_BATCH_DELAY, DEFAULT_MAX_BATCH_DELAY),
        env.integer(MAX_QUEUED_IMAGES, 2 * maxBatch, 1, 100_000),
        env.duration(DECODE_MAX_WAIT, DEFAULT_DECODE_MAX_WAIT),
        env.get(GPU_MEMORY_BUDGET_GIB).map(SchedulerConfig::memoryBudget).orElse(null));
  }

  private static MemoryBudget memoryBudget(String text) {
    try {
      double gib = Double.parseDouble(text);
      if (!(gib > 0)) {
        throw new ConfigException(GPU_MEMORY_BUDGET_GIB, "must be a positive number of GiB, got " + text);
      }
      return MemoryBudget.measured(gib);
    } catch (NumberFormatException e) {
      throw new ConfigException(GPU_MEMORY_BUDGET_GIB, "must be a number of GiB, got '" + text + "'");
    }
  }

  /** The policy's settings with another policy, e.g. for comparisons. */
  public SchedulerConfig withPolicy(SchedulingPolicy other) {
    return new SchedulerConfig(other, maxBatchSize, maxBatchDelay, maxQueuedImages, decodeMaxWait, memoryBudget);
  }

  /**
   * Most images of {@code width x height} per device call: the max batch size, capped by the memory
   * budget; 0 when not even one image of that size fits (the scheduler fails such jobs at admission).
   */
  public int maxBatchFor(int width, int height) {
    return memoryBudget == null ? maxBatchSize : Math.min(maxBatchSize, memoryBudget.maxBatch(width, height));
  }
}
