package dev.vegart.common.config;

/** A configuration value is missing or invalid; the message names the variable to change. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super(key + " " + problem);
  }
}
