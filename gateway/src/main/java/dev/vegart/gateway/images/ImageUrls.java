package dev.vegart.gateway.images;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned GET URLs for stored images, valid for {@code VEGART_IMAGE_URL_TTL} (default 1h). Signing is
 * local CPU work (no network), safe on an event loop. Thread-safe.
 */
public final class ImageUrls {
  private final S3Presigner presigner;
  private final String bucket;
  private final Duration ttl;

  public ImageUrls(S3Presigner presigner, String bucket, Duration ttl) {
    this.presigner = presigner;
    this.bucket = bucket;
    this.ttl = ttl;
  }

  public URI presign(String objectKey) {
    return URI.create(presigner.presignGetObject(r -> r
            .signatureDuration(ttl)
            .getObjectRequest(g -> g.bucket(bucket).key(objectKey)))
        .url().toString());
  }

  public Duration ttl() {
    return ttl;
  }
}
