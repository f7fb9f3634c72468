package dev.vegart.stack;

import dev.vegart.common.config.Env;
import dev.vegart.stack.embedded.EmbeddedKafka;
import dev.vegart.stack.embedded.EmbeddedPostgresServer;
import dev.vegart.stack.embedded.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vegart infra kafka|postgres|s3}: one embedded dependency as its own process, state under
 * {@code VEGART_DATA_DIR}, on the port given by {@code VEGART_INFRA_PORT} (remembered across restarts).
 * Prints {@code READY <address>} once serving. Used by the fault suite to kill and restart each part on
 * its own, and handy for running separate gateway and worker processes by hand.
 */
final class InfraCommand {
  private InfraCommand() {}

  static void run(String what) throws Exception {
    Env env = Env.system();
    Path dir = Path.of(env.string("VEGART_DATA_DIR", "vegart-data")).resolve(what);
    Files.createDirectories(dir);
    env.get("VEGART_INFRA_PORT").ifPresent(port -> write(dir.resolve(what.equals("kafka") ? "broker.port" : "port"), port));
    env.get("VEGART_INFRA_CONTROLLER_PORT").ifPresent(port -> write(dir.resolve("controller.port"), port));
    AutoCloseable server;
    String address;
    switch (what) {
      case "kafka" -> {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, env.integer("VEGART_KAFKA_PARTITIONS", 4, 1, 1000));
        server = kafka;
        address = kafka.bootstrapServers();
      }
      case "postgres" -> {
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir);
        server = pg;
        address = pg.url();
      }
      case "s3" -> {
        EmbeddedS3 s3 = EmbeddedS3.start(dir, env.required("AWS_ACCESS_KEY_ID"), env.required("AWS_SECRET_ACCESS_KEY"),
            env.string("VEGART_S3_BUCKET", LocalStack.BUCKET));
        server = s3;
        address = s3.endpoint().toString();
      }
      default -> throw new IllegalArgumentException("vegart infra kafka|postgres|s3, got " + what);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("error while stopping " + what + ": " + e);
      }
      stopped.countDown();
    }));
    System.out.println("READY " + address);
    System.out.flush();
    stopped.await();
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
