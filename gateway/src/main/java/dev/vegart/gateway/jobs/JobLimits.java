package dev.vegart.gateway.jobs;

import java.util.List;

/**
 * What the gateway accepts: the model's supported sizes ({@code VEGART_SIZES}, the first is the default when
 * it includes no 1024x1024) and default steps ({@code VEGART_DEFAULT_STEPS}, 4).
 */
public record JobLimits(List<ImageSize> sizes, int defaultSteps) {
  public JobLimits {
    sizes = List.copyOf(sizes);
  }

  public ImageSize defaultSize() {
    ImageSize native1024 = new ImageSize(1024, 1024);
    return sizes.contains(native1024) ? native1024 : sizes.get(0);
  }
}
