package dev.vegart.stack.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificate authorities and certificates, made with the {@code openssl} and {@code keytool}
 * commands in one directory, for tests that need real TLS peers. EC P-256 keys keep generation fast.
 */
final class TestPki {
  private final Path dir;

  TestPki(Path dir) {
    this.dir = dir;
  }

  /** A self-signed CA; returns its PEM certificate, its key lying beside it as {@code name.key}. */
  Path authority(String name) throws IOException {
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name);
    return dir.resolve(name + ".pem");
  }

  /**
   * A certificate for {@code name} signed by {@code ca}, usable by servers and clients, with the given
   * subjectAltName (e.g. {@code DNS:localhost}); returns its PEM certificate, the key beside it as {@code name.key}
   * (mode 0600, as PostgreSQL demands).
   */
  Path issue(String ca, String name, String subjectAltName) throws IOException {
    Path ext = Files.writeString(dir.resolve(name + ".ext"),
        "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth,clientAuth\n", StandardCharsets.UTF_8);
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
        "-CAcreateserial", "-days", "2", "-out", name + ".pem", "-extfile", ext.getFileName().toString());
    run("chmod", "600", name + ".key");
    return dir.resolve(name + ".pem");
  }

  /** A PKCS12 key store holding {@code name}'s key and certificate chain (as made by {@link #issue}). */
  Path keyStore(String ca, String name, String password) throws IOException {
    run("openssl", "pkcs12", "-export", "-in", name + ".pem", "-inkey", name + ".key", "-certfile", ca + ".pem",
        "-name", name, "-out", name + ".p12", "-passout", "pass:" + password);
    return dir.resolve(name + ".p12");
  }

  /** A PKCS12 trust store holding {@code ca}'s certificate (keytool marks it trusted, as Java requires). */
  Path trustStore(String ca, String password) throws IOException {
    run("keytool", "-importcert", "-noprompt", "-alias", ca, "-file", ca + ".pem", "-storetype", "PKCS12",
        "-keystore", ca + "-trust.p12", "-storepass", password);
    return dir.resolve(ca + "-trust.p12");
  }

  private void run(String... command) throws IOException {
    Path log = dir.resolve("pki.log");
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command)))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed:\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
