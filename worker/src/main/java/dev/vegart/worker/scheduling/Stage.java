package dev.vegart.worker.scheduling;

import dev.vegart.common.job.Decoder;

/** The device stages the scheduler dispatches; {@link #tag()} is the metric label and cost-model key. */
public enum Stage {
  TEXT_ENCODE("text_encode"),
  UNET_STEP("unet_step"),
  DECODE_FULL("decode_full"),
  DECODE_FAST("decode_fast");

  private final String tag;

  Stage(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  public boolean isDecode() {
    return this == DECODE_FULL || this == DECODE_FAST;
  }

  public static Stage decodeWith(Decoder decoder) {
    return decoder == Decoder.FAST ? DECODE_FAST : DECODE_FULL;
  }
}
