package dev.vegart.stack.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3-protocol server (S3Proxy) on a local folder, checking SigV4 signatures: a tampered or expired
 * presigned URL is refused exactly as S3 would.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStore store;
  private final URI endpoint;

  private EmbeddedS3(S3Proxy proxy, BlobStore store, URI endpoint) {
    this.proxy = proxy;
    this.store = store;
    this.endpoint = endpoint;
  }

  public static EmbeddedS3 start(Path dir, String accessKey, String secretKey, String bucket) throws Exception {
    Path blobs = dir.resolve("blobs");
    Files.createDirectories(blobs);
    BlobStore store = new FilesystemNio2BlobStore(blobs.toString());
    if (!store.containerExists(bucket)) {
      store.createContainer(bucket);
    }
    int port = Ports.remembered(dir.resolve("port"));
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(endpoint)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.onSpinWait();
    }
    return new EmbeddedS3(proxy, store, endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    store.close();
  }
}
