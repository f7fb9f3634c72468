package dev.vegart.stack.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real PostgreSQL server (embedded binaries) whose data directory survives a restart. */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedPostgresServer start(Path dir) throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(Ports.remembered(dir.resolve("port")))
        .setOverrideWorkingDirectory(dir.resolve("work").toFile())
        .setServerConfig("max_connections", "200")
        .setServerConfig("fsync", "on")
        .start();
    return new EmbeddedPostgresServer(pg);
  }

  public int port() {
    return postgres.getPort();
  }

  /** The database URL in the form the gateway reads from {@code VEGART_DATABASE_URL}. */
  public String url() {
    return "postgresql://127.0.0.1:" + port() + "/postgres";
  }

  public String user() {
    return "postgres";
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
