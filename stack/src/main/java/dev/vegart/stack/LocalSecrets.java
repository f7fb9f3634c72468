package dev.vegart.stack;

import dev.vegart.common.ids.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * Secrets of the single-machine stack, generated on first start and kept in {@code secrets.properties}
 * (mode 0600) under the data directory, so a restart keeps working credentials, the same admin token
 * and the same demo API key.
 */
record LocalSecrets(Path file, Properties values) {
  static LocalSecrets load(Path dataDir, Optional<String> adminTokenOverride) throws IOException {
    Path file = dataDir.resolve("secrets.properties");
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
    }
    p.putIfAbsent("s3.access-key", "vegart" + Ids.secret(5));
    p.putIfAbsent("s3.secret-key", Ids.secret(24));
    p.putIfAbsent("admin-token", "adm_" + Ids.secret(24));
    p.putIfAbsent("key-pepper", Ids.secret(32));
    adminTokenOverride.ifPresent(t -> p.setProperty("admin-token", t));
    LocalSecrets secrets = new LocalSecrets(file, p);
    secrets.save();
    return secrets;
  }

  String get(String name) {
    return values.getProperty(name);
  }

  Optional<String> demoKey() {
    return Optional.ofNullable(values.getProperty("demo-key"));
  }

  void demoKey(String key) throws IOException {
    values.setProperty("demo-key", key);
    save();
  }

  private void save() throws IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      values.store(out, "vegart single-machine stack secrets: keep private");
    }
  }
}
