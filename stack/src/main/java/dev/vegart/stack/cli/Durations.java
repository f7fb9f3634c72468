package dev.vegart.stack.cli;

/** Durations as people read them: "45 s", "3 min 20 s", "5 h 12 min". */
final class Durations {
  private Durations() {}

  static String human(long seconds) {
    if (seconds < 60) {
      return Math.max(seconds, 0) + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
  }
}
