package dev.vegart.worker.demo;

import dev.vegart.worker.pipeline.RgbImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a generated image back into scene attributes: a line-by-line port of deploy/model/demo/measure.py (see
 * there for the method). Box-averages to {@code side x side} first, so any supported size measures the same.
 */
final class DemoImageMeasurements {
  private final HeldOutSet set;
  private final HeldOutSet.Constants c;

  DemoImageMeasurements(HeldOutSet set) {
    this.set = set;
    this.c = set.constants();
  }

  /** What an image shows; colour, position and shape are null when no object was found. */
  record Measured(String background, String colour, int count, String position, String shape) {}

  Measured measure(RgbImage image) {
    int side = c.side();
    double[][] small = downsample(image, side);
    List<double[]> border = new ArrayList<>();
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        boolean inRows = y < c.border() || y >= side - c.border();
        if (inRows) {
          border.add(small[y * side + x]);
        }
      }
    }
    // measure.py concatenates rows first, then columns: corner cells count twice, as there
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        if (x < c.border() || x >= side - c.border()) {
          border.add(small[y * side + x]);
        }
      }
    }
    double[] bg = median(border);
    boolean[] mask = new boolean[side * side];
    for (int i = 0; i < mask.length; i++) {
      double[] p = small[i];
      double d = Math.sqrt(sq(p[0] - bg[0]) + sq(p[1] - bg[1]) + sq(p[2] - bg[2]));
      mask[i] = d > c.maskDistance();
    }
    List<int[]> objects = new ArrayList<>(components(mask, side).stream().filter(o -> o.length >= c.minArea()).toList());
    objects.sort(Comparator.comparingInt((int[] o) -> o.length).reversed());
    if (objects.isEmpty()) {
      return new Measured(nearestColour(bg), null, 0, null, null);
    }
    List<double[]> pixels = new ArrayList<>();
    double sumX = 0;
    double sumY = 0;
    for (int[] o : objects) {
      for (int index : o) {
        pixels.add(small[index]);
        sumX += index % side;
        sumY += index / side;
      }
    }
    double cx = (sumX / pixels.size() + 0.5) / side;
    double cy = (sumY / pixels.size() + 0.5) / side;
    return new Measured(nearestColour(bg), nearestColour(median(core(pixels, bg))), objects.size(),
        nearestAnchor(cx, cy), shape(objects.get(0), side));
  }

  /** The object pixels at least coreFraction x as far from the background as the one ranked n/10 from the top. */
  private List<double[]> core(List<double[]> pixels, double[] bg) {
    double[] distance = new double[pixels.size()];
    for (int i = 0; i < distance.length; i++) {
      double[] p = pixels.get(i);
      distance[i] = Math.sqrt(sq(p[0] - bg[0]) + sq(p[1] - bg[1]) + sq(p[2] - bg[2]));
    }
    double[] sorted = distance.clone();
    Arrays.sort(sorted);
    double reference = sorted[sorted.length - 1 - sorted.length / 10];
    List<double[]> core = new ArrayList<>();
    for (int i = 0; i < distance.length; i++) {
      if (distance[i] >= c.coreFraction() * reference) {
        core.add(pixels.get(i));
      }
    }
    return core;
  }

  private String shape(int[] object, int side) {
    int minX = Integer.MAX_VALUE;
    int maxX = Integer.MIN_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxY = Integer.MIN_VALUE;
    for (int index : object) {
      minX = Math.min(minX, index % side);
      maxX = Math.max(maxX, index % side);
      minY = Math.min(minY, index / side);
      maxY = Math.max(maxY, index / side);
    }
    double fill = object.length / (double) ((maxX - minX + 1) * (maxY - minY + 1));
    return fill >= c.squareFill() ? "square" : fill >= c.circleFill() ? "circle" : "triangle";
  }

  /** Box average to side x side, row-major cells of {r, g, b} in 0-255. */
  private static double[][] downsample(RgbImage image, int side) {
    int fx = image.width() / side;
    int fy = image.height() / side;
    double[][] out = new double[side * side][3];
    byte[] rgb = image.rgb();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        double[] cell = out[(y / fy) * side + x / fx];
        int i = (y * image.width() + x) * 3;
        cell[0] += rgb[i] & 0xff;
        cell[1] += rgb[i + 1] & 0xff;
        cell[2] += rgb[i + 2] & 0xff;
      }
    }
    for (double[] cell : out) {
      for (int k = 0; k < 3; k++) {
        cell[k] /= fx * fy;
      }
    }
    return out;
  }

  /** 4-connected components of the mask (cell indices), in scan order of their first cell. */
  private static List<int[]> components(boolean[] mask, int side) {
    boolean[] seen = new boolean[mask.length];
    List<int[]> found = new ArrayList<>();
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || seen[start]) {
        continue;
      }
      seen[start] = true;
      stack.push(start);
      List<Integer> cells = new ArrayList<>();
      while (!stack.isEmpty()) {
        int i = stack.pop();
        cells.add(i);
        int x = i % side;
        int y = i / side;
        int[][] next = {{x, y - 1}, {x, y + 1}, {x - 1, y}, {x + 1, y}};
        for (int[] n : next) {
          if (n[0] >= 0 && n[0] < side && n[1] >= 0 && n[1] < side) {
            int j = n[1] * side + n[0];
            if (mask[j] && !seen[j]) {
              seen[j] = true;
              stack.push(j);
            }
          }
        }
      }
      found.add(cells.stream().mapToInt(Integer::intValue).toArray());
    }
    return found;
  }

  /** Per-channel median, the mean of the two middle values for an even count (as numpy). */
  private static double[] median(List<double[]> values) {
    double[] out = new double[3];
    double[] channel = new double[values.size()];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < channel.length; i++) {
        channel[i] = values.get(i)[k];
      }
      Arrays.sort(channel);
      int n = channel.length;
      out[k] = n % 2 == 1 ? channel[n / 2] : (channel[n / 2 - 1] + channel[n / 2]) / 2;
    }
    return out;
  }

  private String nearestColour(double[] rgb) {
    String best = null;
    double bestDistance = Double.MAX_VALUE;
    for (Map.Entry<String, int[]> e : set.palette().entrySet()) {
      int[] p = e.getValue();
      double d = sq(p[0] - rgb[0]) + sq(p[1] - rgb[1]) + sq(p[2] - rgb[2]);
      if (d < bestDistance) {
        bestDistance = d;
        best = e.getKey();
      }
    }
    return best;
  }

  private String nearestAnchor(double x, double y) {
    String best = null;
    double bestDistance = Double.MAX_VALUE;
    for (Map.Entry<String, double[]> e : set.anchors().entrySet()) {
      double d = sq(e.getValue()[0] - x) + sq(e.getValue()[1] - y);
      if (d < bestDistance) {
        bestDistance = d;
        best = e.getKey();
      }
    }
    return best;
  }

  private static double sq(double v) {
    return v * v;
  }
}
