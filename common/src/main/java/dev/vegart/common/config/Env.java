package dev.vegart.common.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to configuration given as environment variables (all prefixed {@code VEGART_}).
 * Every failure names the variable to change; nothing is clamped silently.
 */
public final class Env {
  private final Map<String, String> vars;

  public Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  /** A view with some variables overridden, used by the single-machine stack and tests. */
  public Env with(Map<String, String> overrides) {
    var merged = new java.util.HashMap<>(vars);
    merged.putAll(overrides);
    return new Env(merged);
  }

  public Optional<String> get(String name) {
    String value = vars.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String string(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  public String required(String name) {
    return get(name).orElseThrow(() -> new ConfigException(name, "is required but not set"));
  }

  public int integer(String name, int defaultValue, int min, int max) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be an integer, got '" + raw.get() + "'");
    }
  }

  public boolean bool(String name, boolean defaultValue) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(name, "must be true or false, got '" + raw.get() + "'");
    };
  }

  /** Durations in the form {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number is in the given default unit. */
  public Duration duration(String name, Duration defaultValue) {
    Optional<String> raw = get(name);
    return raw.isEmpty() ? defaultValue : Durations.parse(name, raw.get());
  }
}
