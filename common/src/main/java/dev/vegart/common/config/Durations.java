package dev.vegart.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses short human durations: {@code 250ms}, {@code 5s}, {@code 30m}, {@code 2h}, {@code 1d}. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String key, String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(key, "must be a duration like 500ms, 5s, 5m, 2h or 1d, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** A comma-separated list of durations, e.g. {@code 0s,5s,5m,30m}. */
  public static List<Duration> parseList(String key, String text) {
    List<Duration> out = new ArrayList<>();
    for (String part : text.split(",")) {
      out.add(parse(key, part));
    }
    return List.copyOf(out);
  }
}
