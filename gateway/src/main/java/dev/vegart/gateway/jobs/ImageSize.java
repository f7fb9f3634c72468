package dev.vegart.gateway.jobs;

import dev.vegart.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/** A supported output size. */
public record ImageSize(int width, int height) {
  /** SDXL's aspect buckets of about one megapixel, plus 512x512 and 768x768. */
  public static final String DEFAULTS =
      "1024x1024,1152x896,896x1152,1216x832,832x1216,1344x768,768x1344,1536x640,640x1536,512x512,768x768";

  @Override
  public String toString() {
    return width + "x" + height;
  }

  /** Parses {@code VEGART_SIZES}: comma-separated {@code WxH}, multiples of 64. */
  public static List<ImageSize> parseList(String spec) {
    List<ImageSize> sizes = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] wh = part.trim().split("x");
      try {
        ImageSize size = new ImageSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
        if (wh.length != 2 || size.width % 64 != 0 || size.height % 64 != 0 || size.width <= 0 || size.height <= 0) {
          throw new NumberFormatException();
        }
        sizes.add(size);
      } catch (RuntimeException e) {
        throw new ConfigException("VEGART_SIZES", "must be a list like 1024x1024,512x512 of multiples of 64, got '" + part + "'");
      }
    }
    return List.copyOf(sizes);
  }
}
