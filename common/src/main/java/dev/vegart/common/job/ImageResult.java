package dev.vegart.common.job;

/**
 * One generated image as stored in S3.
 *
 * @param index position in the job, 0-based
 * @param objectKey S3 object key
 * @param seed the seed that produced it
 * @param width pixels
 * @param height pixels
 * @param format encoded format
 * @param bytes encoded size
 * @param sha256 hex digest of the encoded bytes
 */
public record ImageResult(int index, String objectKey, long seed, int width, int height, OutputFormat format, long bytes, String sha256) {}
