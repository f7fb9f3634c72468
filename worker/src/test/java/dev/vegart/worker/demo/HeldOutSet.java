package dev.vegart.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code models/demo/heldout.json}, written by deploy/model/demo/train_demo.py: prompts of (colour, shape, background)
 * combinations the demo model never saw, what each must show, and the palette, anchors and constants of the
 * measurements (deploy/model/demo/measure.py), so the Java port measures with exactly the same numbers.
 *
 * @param palette colour name to sRGB, in the file's order (ties resolve to the earlier name, as in Python)
 * @param anchors position name to normalised (x, y) centre, in the file's order
 */
record HeldOutSet(Map<String, int[]> palette, Map<String, double[]> anchors, Constants constants,
    List<Expected> prompts) {

  /** The measurement constants; see measure.py for their meaning. */
  record Constants(int side, int border, double maskDistance, int minArea, double squareFill, double circleFill,
      double coreFraction) {}

  /** One prompt and the attributes its image must show. */
  record Expected(String prompt, String colour, String background, String shape, int count, String position) {}

  static HeldOutSet read(Path file) {
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      Map<String, int[]> palette = new LinkedHashMap<>();
      root.get("palette").properties().forEach(e -> palette.put(e.getKey(),
          new int[] {e.getValue().get(0).asInt(), e.getValue().get(1).asInt(), e.getValue().get(2).asInt()}));
      Map<String, double[]> anchors = new LinkedHashMap<>();
      root.get("anchors").properties().forEach(e -> anchors.put(e.getKey(),
          new double[] {e.getValue().get(0).asDouble(), e.getValue().get(1).asDouble()}));
      JsonNode m = root.get("measurement");
      Constants constants = new Constants(m.get("side").asInt(), m.get("border").asInt(),
          m.get("mask_distance").asDouble(), m.get("min_area").asInt(), m.get("square_fill").asDouble(),
          m.get("circle_fill").asDouble(), m.get("core_fraction").asDouble());
      List<Expected> prompts = new ArrayList<>();
      for (JsonNode p : root.get("prompts")) {
        prompts.add(new Expected(p.get("prompt").asText(), p.get("colour").asText(), p.get("background").asText(),
            p.get("shape").asText(), p.get("count").asInt(), p.get("position").asText()));
      }
      return new HeldOutSet(palette, anchors, constants, List.copyOf(prompts));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
