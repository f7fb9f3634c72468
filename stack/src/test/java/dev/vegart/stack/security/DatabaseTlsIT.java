package dev.vegart.stack.security;

import static dev.vegart.stack.StackDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.gateway.db.Database;
import dev.vegart.gateway.db.DatabaseSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code VEGART_DATABASE_SSL_MODE=verify-ca|verify-full} with {@code VEGART_DATABASE_SSL_ROOT_CERT} against a real
 * PostgreSQL serving TLS with a certificate from a throwaway CA. The server's certificate names only
 * {@code localhost}, so connecting to {@code 127.0.0.1} is a host the certificate does not name.
 */
class DatabaseTlsIT {
  @TempDir static Path dir;
  private static EmbeddedPostgres postgres;
  private static Vertx vertx;
  private static Path ca;
  private static Path otherCa;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = new TestPki(dir);
    ca = pki.authority("ca");
    otherCa = pki.authority("other-ca");
    Path cert = pki.issue("ca", "server", "DNS:localhost");
    postgres = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(dir.resolve("work").toFile())
        .setServerConfig("ssl", "on")
        .setServerConfig("ssl_cert_file", cert.toString())
        .setServerConfig("ssl_key_file", dir.resolve("server.key").toString())
        .start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void verifyFullWithTheServersCaConnectsOverTls() throws Exception {
    assertThat(sslInUse(settings("localhost", "verify-full", ca))).isTrue();
  }

  @Test
  void verifyFullWithAnotherCaIsRefused() {
    assertRefused(settings("localhost", "verify-full", otherCa));
  }

  @Test
  void verifyCaWithAnotherCaIsRefused() {
    assertRefused(settings("localhost", "verify-ca", otherCa));
  }

  @Test
  void aHostTheCertificateDoesNotNameIsRefusedUnderVerifyFullOnly() throws Exception {
    assertRefused(settings("127.0.0.1", "verify-full", ca));
    assertThat(sslInUse(settings("127.0.0.1", "verify-ca", ca))).isTrue();
  }

  private static DatabaseSettings settings(String host, String mode, Path rootCert) {
    return new DatabaseSettings("postgresql://" + host + ":" + postgres.getPort() + "/postgres", Optional.of("postgres"),
        Optional.empty(), 1, mode, Optional.of(rootCert));
  }

  /** Runs a query through the gateway's pool and asks the server whether this very connection is encrypted. */
  private static boolean sslInUse(DatabaseSettings settings) throws Exception {
    Pool pool = Database.pool(vertx, settings);
    try {
      return await(pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute())
          .iterator().next().getBoolean(0);
    } finally {
      await(pool.close());
    }
  }

  /**
   * The client gives up in the TLS handshake. Vert.x reports only "SSL handshake failed", without the
   * certificate error as cause; each refusal has a passing twin that differs in the one setting under test.
   */
  private static void assertRefused(DatabaseSettings settings) {
    assertThatThrownBy(() -> sslInUse(settings))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(VertxException.class).hasMessage("SSL handshake failed");
  }
}
