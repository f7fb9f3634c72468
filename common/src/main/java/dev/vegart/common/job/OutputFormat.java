package dev.vegart.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Encoded image formats a job can ask for. */
public enum OutputFormat {
  PNG("png", "image/png"),
  JPEG("jpeg", "image/jpeg"),
  WEBP("webp", "image/webp");

  private final String wire;
  private final String mediaType;

  OutputFormat(String wire, String mediaType) {
    this.wire = wire;
    this.mediaType = mediaType;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public String mediaType() {
    return mediaType;
  }

  public String extension() {
    return wire;
  }

  public static Optional<OutputFormat> parse(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.wire.equals(t)).findFirst();
  }

  @JsonCreator
  static OutputFormat fromWire(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("unknown output format " + text));
  }
}
