package dev.vegart.worker.imageio;

import dev.vegart.common.job.OutputFormat;

/**
 * An encoded image ready for upload.
 *
 * @param bytes the file content
 * @param sha256 lowercase hex SHA-256 of {@code bytes}
 * @param format its format (media type, extension)
 */
public record EncodedImage(byte[] bytes, String sha256, OutputFormat format) {}
