package dev.vegart.worker.bench;

/**
 * Median times of one batch size (milliseconds; per batch unless named per image).
 *
 * @param batchSize images per batch
 * @param tokenizeMs tokenizing every prompt (off-device in the worker)
 * @param textMs both text encoders
 * @param unetStepMs one UNet call incl. the LCM update (mean over the steps)
 * @param decodeMs latents to RGB bytes
 * @param encodeMsPerImage image file encoding, one image on one thread
 * @param endToEndMs tokenize to encoded files, sequentially
 * @param imagesPerSecond batchSize / endToEnd
 */
public record StageTimes(int batchSize, double tokenizeMs, double textMs, double unetStepMs, double decodeMs,
    double encodeMsPerImage, double endToEndMs, double imagesPerSecond) {}
