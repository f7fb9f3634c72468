package dev.vegart.common.config;

import java.net.URI;
import java.util.Optional;

/**
 * Where images are stored. Credentials come from the AWS default chain ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, profiles, instance roles), never from vegart's own variables.
 *
 * @param endpoint {@code VEGART_S3_ENDPOINT}: empty for AWS S3, else e.g. {@code http://minio:9000}
 * @param publicEndpoint {@code VEGART_S3_PUBLIC_ENDPOINT}: the endpoint written into presigned URLs,
 *     when clients reach the store at another address than the servers do; defaults to {@code endpoint}
 * @param bucket {@code VEGART_S3_BUCKET}, default {@code vegart-images}
 * @param region {@code VEGART_S3_REGION}, default {@code us-east-1}
 * @param pathStyle {@code VEGART_S3_PATH_STYLE}, default true when an endpoint is set
 */
public record S3Settings(Optional<URI> endpoint, Optional<URI> publicEndpoint, String bucket, String region, boolean pathStyle) {
  public S3Settings {
    if (bucket.length() < 3) {
      throw new ConfigException("VEGART_S3_BUCKET", "must have at least 3 characters, got '" + bucket + "'");
    }
  }

  public static S3Settings from(Env env) {
    Optional<URI> endpoint = env.get("VEGART_S3_ENDPOINT").map(URI::create);
    return new S3Settings(
        endpoint,
        env.get("VEGART_S3_PUBLIC_ENDPOINT").map(URI::create),
        env.string("VEGART_S3_BUCKET", "vegart-images"),
        env.string("VEGART_S3_REGION", "us-east-1"),
        env.bool("VEGART_S3_PATH_STYLE", endpoint.isPresent()));
  }

  public static S3Settings local(URI endpoint, String bucket) {
    return new S3Settings(Optional.of(endpoint), Optional.empty(), bucket, "us-east-1", true);
  }

  /** The endpoint used in URLs handed to clients. */
  public Optional<URI> presignEndpoint() {
    return publicEndpoint.or(() -> endpoint);
  }
}
