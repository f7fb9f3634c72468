package dev.vegart.worker.pipeline;

/** An 8-bit RGB raster, row-major, 3 bytes per pixel. */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + width * height * 3);
    }
  }
}
