package dev.vegart.helm;

import java.util.EnumMap;
import java.util.Map;

/** Renders each case once per test JVM; several test classes assert on the same rendering. */
final class Renderings {
  private static final Map<ValuesCase, Rendered> CACHE = new EnumMap<>(ValuesCase.class);

  private Renderings() {}

  static synchronized Rendered of(ValuesCase c) {
    return CACHE.computeIfAbsent(c, ValuesCase::render);
  }
}
