package dev.vegart.worker.pipeline;

import java.util.List;

/**
 * What a model directory declares, as the rest of the worker needs it.
 *
 * @param name model name from the manifest
 * @param sizes supported (width, height) pairs
 * @param defaultSteps steps used when a request gives none
 * @param hasFastDecoder whether a tiny decoder is present ({@code "decoder": "fast"})
 */
public record ModelInfo(String name, List<Size> sizes, int defaultSteps, boolean hasFastDecoder) {
  public record Size(int width, int height) {}
}
