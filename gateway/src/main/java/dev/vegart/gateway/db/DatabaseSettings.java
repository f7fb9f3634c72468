package dev.vegart.gateway.db;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.Set;

/**
 * How the gateway reaches PostgreSQL. Validated at construction: a TLS mode that cannot work (verification
 * without a CA, a CA that no mode uses, a CA file that holds no certificate) fails at startup, naming the
 * variable to change, instead of at the first connection.
 *
 * @param url {@code VEGART_DATABASE_URL}, e.g. {@code postgresql://db:5432/vegart}
 * @param user {@code VEGART_DATABASE_USER} (or in the URL)
 * @param password {@code VEGART_DATABASE_PASSWORD} (or in the URL)
 * @param poolSize {@code VEGART_DATABASE_POOL_SIZE}, default 16 connections per gateway
 * @param sslMode {@code VEGART_DATABASE_SSL_MODE}: disable | allow | prefer | require | verify-ca | verify-full, or null
 * @param sslRootCert {@code VEGART_DATABASE_SSL_ROOT_CERT}: a PEM file of the CA certificates the server's
 *     certificate must chain to; required by, and only used with, {@code verify-ca} and {@code verify-full}
 */
public record DatabaseSettings(String url, Optional<String> user, Optional<String> password, int poolSize, String sslMode,
    Optional<Path> sslRootCert) {
  static final String SSL_MODE = "VEGART_DATABASE_SSL_MODE";
  static final String SSL_ROOT_CERT = "VEGART_DATABASE_SSL_ROOT_CERT";
  private static final Set<String> MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public DatabaseSettings {
    if (sslMode != null && !MODES.contains(sslMode)) {
      throw new ConfigException(SSL_MODE, "must be one of disable, allow, prefer, require, verify-ca, verify-full; got '"
          + sslMode + "'");
    }
    if (verifiesServer(sslMode) && sslRootCert.isEmpty()) {
      throw new ConfigException(SSL_ROOT_CERT, "is required with " + SSL_MODE + "=" + sslMode
          + ": the PEM file of the CA that signed the server's certificate");
    }
    if (!verifiesServer(sslMode) && sslRootCert.isPresent()) {
      // libpq would quietly verify under 'require' when a root certificate exists; say which mode does that instead.
      throw new ConfigException(SSL_ROOT_CERT, "is only used with " + SSL_MODE + "=verify-ca or verify-full, got "
          + (sslMode == null ? "no mode" : "'" + sslMode + "'"));
    }
    sslRootCert.ifPresent(DatabaseSettings::requireCertificates);
  }

  public static DatabaseSettings from(Env env) {
    return new DatabaseSettings(
        env.string("VEGART_DATABASE_URL", "postgresql://localhost:5432/vegart"),
        env.get("VEGART_DATABASE_USER"),
        env.get("VEGART_DATABASE_PASSWORD"),
        env.integer("VEGART_DATABASE_POOL_SIZE", 16, 1, 1000),
        env.get(SSL_MODE).orElse(null),
        env.get(SSL_ROOT_CERT).map(Path::of));
  }

  /** Whether the mode checks the server's certificate (and so needs {@link #sslRootCert}). */
  public boolean verifiesServer() {
    return verifiesServer(sslMode);
  }

  /** Whether the mode also checks that the certificate names the host in {@link #url}. */
  public boolean verifiesHostName() {
    return "verify-full".equals(sslMode);
  }

  private static boolean verifiesServer(String mode) {
    return "verify-ca".equals(mode) || "verify-full".equals(mode);
  }

  private static void requireCertificates(Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(SSL_ROOT_CERT, "names " + file + ", which is not a readable file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new ConfigException(SSL_ROOT_CERT, "names " + file + ", which holds no PEM certificate");
      }
    } catch (IOException | CertificateException e) {
      throw new ConfigException(SSL_ROOT_CERT, "names " + file + ", which holds no readable PEM certificate: " + e.getMessage());
    }
  }
}
