package dev.vegart.worker.scheduling;

/**
 * Largest batch per image size that fits a GPU memory budget, from a linear model of peak memory:
 * {@code base + batch * perMegapixel * megapixels}. {@link #measured(double)} uses the H200 measurement
 * of the brief (peak 8.1 GB at B=1, 22.1 GB at B=8 for 1024x1024: 6.1 GiB base, 2.0 GiB per megapixel image).
 *
 * @param budgetGib memory the worker may use on its device
 * @param baseGib weights and workspace independent of the batch
 * @param perMegapixelGib additional peak memory per image per 2^20 pixels
 */
public record MemoryBudget(double budgetGib, double baseGib, double perMegapixelGib) {
  public MemoryBudget {
    if (!(perMegapixelGib > 0) || !(baseGib >= 0)) {
      throw new IllegalArgumentException("memory model needs baseGib >= 0 and perMegapixelGib > 0");
    }
  }

  public static final double MEASURED_BASE_GIB = 6.1;
  public static final double MEASURED_PER_MEGAPIXEL_GIB = 2.0;

  /** A budget with the memory model measured for Vega RT (fp16 UNet, bf16 VAE). */
  public static MemoryBudget measured(double budgetGib) {
    return new MemoryBudget(budgetGib, MEASURED_BASE_GIB, MEASURED_PER_MEGAPIXEL_GIB);
  }

  /** The largest batch of {@code width x height} images that fits, at least 0. */
  public int maxBatch(int width, int height) {
    double perImage = perMegapixelGib * ((double) width * height / (1 << 20));
    return (int) Math.max(0, Math.floor((budgetGib - baseGib) / perImage));
  }
}
