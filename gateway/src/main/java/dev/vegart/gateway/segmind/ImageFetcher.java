package dev.vegart.gateway.segmind;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.services.s3.S3Client;

/** Reads a stored image's bytes from S3, on a worker thread (the SDK call blocks). Thread-safe. */
public final class ImageFetcher {
  private final Vertx vertx;
  private final S3Client s3;
  private final String bucket;

  public ImageFetcher(Vertx vertx, S3Client s3, String bucket) {
    this.vertx = vertx;
    this.s3 = s3;
    this.bucket = bucket;
  }

  public Future<Buffer> fetch(String objectKey) {
    return vertx.executeBlocking(() -> Buffer.buffer(s3.getObjectAsBytes(r -> r.bucket(bucket).key(objectKey)).asByteArray()), false);
  }
}
