package dev.vegart.common.storage;

import dev.vegart.common.config.S3Settings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the S3 clients every component uses from one {@link S3Settings}. */
public final class S3Clients {
  private S3Clients() {}

  public static AwsCredentialsProvider defaultCredentials() {
    return DefaultCredentialsProvider.builder().build();
  }

  /** A synchronous client; call it only from threads that may block (never a Vert.x event loop). */
  public static S3Client client(S3Settings s3, AwsCredentialsProvider credentials) {
    var builder = S3Client.builder()
        .region(Region.of(s3.region()))
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyle()).build())
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(60))
            .build());
    s3.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** Signs GET URLs locally (no network); the URLs point at {@link S3Settings#presignEndpoint()}. */
  public static S3Presigner presigner(S3Settings s3, AwsCredentialsProvider credentials) {
    var builder = S3Presigner.builder()
        .region(Region.of(s3.region()))
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyle()).build());
    s3.presignEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
