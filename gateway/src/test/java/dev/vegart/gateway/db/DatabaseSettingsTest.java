package dev.vegart.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import io.vertx.pgclient.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS combinations that cannot work are refused at startup; a working one is tested in stack's DatabaseTlsIT. */
class DatabaseSettingsTest {
  @TempDir Path dir;

  private static DatabaseSettings settings(Map<String, String> vars) {
    return DatabaseSettings.from(new Env(vars));
  }

  @Test
  void noTlsSettingsKeepTheClientDefault() {
    DatabaseSettings s = settings(Map.of());
    assertThat(s.sslMode()).isNull();
    assertThat(s.sslRootCert()).isEmpty();
    assertThat(Database.connectOptions(s).getSslOptions()).isNull();
  }

  @Test
  void requireNeedsNoRootCertificate() {
    DatabaseSettings s = settings(Map.of("VEGART_DATABASE_SSL_MODE", "require"));
    assertThat(Database.connectOptions(s).getSslMode()).isEqualTo(SslMode.REQUIRE);
  }

  @Test
  void refusesAnUnknownMode() {
    assertThatThrownBy(() -> settings(Map.of("VEGART_DATABASE_SSL_MODE", "verify")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("VEGART_DATABASE_SSL_MODE must be one of");
  }

  @Test
  void refusesVerificationWithoutARootCertificate() {
    for (String mode : new String[] {"verify-ca", "verify-full"}) {
      assertThatThrownBy(() -> settings(Map.of("VEGART_DATABASE_SSL_MODE", mode)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("VEGART_DATABASE_SSL_ROOT_CERT is required with VEGART_DATABASE_SSL_MODE=" + mode);
    }
  }

  @Test
  void refusesARootCertificateThatNoModeUses() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "unused");
    assertThatThrownBy(() -> settings(Map.of("VEGART_DATABASE_SSL_ROOT_CERT", ca.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_DATABASE_SSL_ROOT_CERT is only used with VEGART_DATABASE_SSL_MODE=verify-ca or verify-full, got no mode");
    assertThatThrownBy(() -> settings(Map.of("VEGART_DATABASE_SSL_MODE", "require", "VEGART_DATABASE_SSL_ROOT_CERT", ca.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("got 'require'");
  }

  @Test
  void refusesAMissingRootCertificateFile() {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> settings(Map.of("VEGART_DATABASE_SSL_MODE", "verify-full", "VEGART_DATABASE_SSL_ROOT_CERT", missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_DATABASE_SSL_ROOT_CERT names " + missing + ", which is not a readable file");
  }

  @Test
  void refusesAFileWithoutCertificates() throws Exception {
    Path notPem = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    for (Path file : new Path[] {notPem, empty}) {
      assertThatThrownBy(() -> settings(Map.of("VEGART_DATABASE_SSL_MODE", "verify-ca", "VEGART_DATABASE_SSL_ROOT_CERT", file.toString())))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("VEGART_DATABASE_SSL_ROOT_CERT names " + file + ", which holds no");
    }
  }
}
