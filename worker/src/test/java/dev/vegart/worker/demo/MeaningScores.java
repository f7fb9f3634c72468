package dev.vegart.worker.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Per-attribute hit counts over measured images, and the misses, for a readable report. */
final class MeaningScores {
  static final List<String> ATTRIBUTES = List.of("colour", "background", "shape", "count", "position");
  private final Map<String, Integer> hits = new LinkedHashMap<>();
  private final List<String> misses = new ArrayList<>();
  private int images;

  void add(HeldOutSet.Expected want, DemoImageMeasurements.Measured got) {
    images++;
    check("colour", want.prompt(), want.colour(), got.colour());
    check("background", want.prompt(), want.background(), got.background());
    check("shape", want.prompt(), want.shape(), got.shape());
    check("count", want.prompt(), want.count(), got.count());
    check("position", want.prompt(), want.position(), got.position());
  }

  private void check(String attribute, String prompt, Object want, Object got) {
    if (Objects.equals(want, got)) {
      hits.merge(attribute, 1, Integer::sum);
    } else {
      misses.add("  " + attribute + ": '" + prompt + "' wanted " + want + ", got " + got);
    }
  }

  double accuracy(String attribute) {
    return images == 0 ? 0 : hits.getOrDefault(attribute, 0) / (double) images;
  }

  String table() {
    StringBuilder out = new StringBuilder();
    for (String a : ATTRIBUTES) {
      out.append(String.format("  %-10s %3d/%d = %5.1f%%%n", a, hits.getOrDefault(a, 0), images, 100 * accuracy(a)));
    }
    misses.stream().limit(20).forEach(m -> out.append(m).append('\n'));
    if (misses.size() > 20) {
      out.append("  ... ").append(misses.size() - 20).append(" more misses\n");
    }
    return out.toString();
  }
}
