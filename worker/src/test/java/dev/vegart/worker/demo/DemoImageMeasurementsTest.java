package dev.vegart.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.worker.pipeline.RgbImage;
import org.junit.jupiter.api.Test;

/** The measurements read drawn scenes back correctly, so a failing meaning test means a wrong image. */
class DemoImageMeasurementsTest {
  private static final int SIZE = 512;
  private final HeldOutSet set = HeldOutSet.read(DemoModelMeaningTest.demoModel().resolve("heldout.json"));
  private final DemoImageMeasurements measurements = new DemoImageMeasurements(set);

  @Test
  void readsALargeRedCircleInTheTopLeftOnBlue() {
    byte[] rgb = fill("blue");
    disc(rgb, 0.27, 0.27, 0.2, "red");

    assertThat(measurements.measure(new RgbImage(SIZE, SIZE, rgb)))
        .isEqualTo(new DemoImageMeasurements.Measured("blue", "red", 1, "top left", "circle"));
  }

  @Test
  void readsThreeYellowSquaresAsACentredGroup() {
    byte[] rgb = fill("black");
    box(rgb, 0.5, 0.27, 0.08, "yellow");
    box(rgb, 0.27, 0.71, 0.08, "yellow");
    box(rgb, 0.73, 0.71, 0.08, "yellow");

    assertThat(measurements.measure(new RgbImage(SIZE, SIZE, rgb)))
        .isEqualTo(new DemoImageMeasurements.Measured("black", "yellow", 3, "centre", "square"));
  }

  @Test
  void readsATriangleInTheBottomRight() {
    byte[] rgb = fill("white");
    triangle(rgb, 0.73, 0.73, 0.14, "green");

    assertThat(measurements.measure(new RgbImage(SIZE, SIZE, rgb)))
        .isEqualTo(new DemoImageMeasurements.Measured("white", "green", 1, "bottom right", "triangle"));
  }

  @Test
  void findsNothingOnAnEmptyBackground() {
    assertThat(measurements.measure(new RgbImage(SIZE, SIZE, fill("pink"))))
        .isEqualTo(new DemoImageMeasurements.Measured("pink", null, 0, null, null));
  }

  private byte[] fill(String colour) {
    byte[] rgb = new byte[SIZE * SIZE * 3];
    for (int i = 0; i < SIZE * SIZE; i++) {
      put(rgb, i, colour);
    }
    return rgb;
  }

  private void disc(byte[] rgb, double cx, double cy, double r, String colour) {
    paint(rgb, colour, (x, y) -> (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r);
  }

  private void box(byte[] rgb, double cx, double cy, double half, String colour) {
    paint(rgb, colour, (x, y) -> Math.abs(x - cx) <= half && Math.abs(y - cy) <= half);
  }

  /** Upright, like scenes.py: apex 1.1 e above the centre, base 0.85 e below, half base 1.15 e. */
  private void triangle(byte[] rgb, double cx, double cy, double e, String colour) {
    paint(rgb, colour, (x, y) -> {
      double dy = y - cy;
      return dy >= -1.1 * e && dy <= 0.85 * e && Math.abs(x - cx) <= 1.15 * e * (dy + 1.1 * e) / (1.95 * e);
    });
  }

  private interface Inside {
    boolean at(double x, double y);
  }

  private void paint(byte[] rgb, String colour, Inside inside) {
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        if (inside.at((x + 0.5) / SIZE, (y + 0.5) / SIZE)) {
          put(rgb, y * SIZE + x, colour);
        }
      }
    }
  }

  private void put(byte[] rgb, int pixel, String colour) {
    int[] c = set.palette().get(colour);
    rgb[pixel * 3] = (byte) c[0];
    rgb[pixel * 3 + 1] = (byte) c[1];
    rgb[pixel * 3 + 2] = (byte) c[2];
  }
}
