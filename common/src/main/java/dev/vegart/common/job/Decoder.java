package dev.vegart.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Which latent decoder turns latents into pixels: the model's VAE, or the tiny fast decoder. */
public enum Decoder {
  FULL("full"),
  FAST("fast");

  private final String wire;

  Decoder(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public static Optional<Decoder> parse(String text) {
    return Arrays.stream(values()).filter(d -> d.wire.equals(text)).findFirst();
  }

  @JsonCreator
  static Decoder fromWire(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("unknown decoder " + text));
  }
}
