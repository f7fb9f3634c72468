package dev.vegart.stack;

import dev.vegart.common.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One {@link LocalStack} (real Kafka, PostgreSQL, S3Proxy, gateway and CPU worker) per test JVM, started on
 * first use with its data in a fresh temporary directory and stopped when the JVM exits.
 */
public final class SharedStack {
  private static LocalStack stack;

  private SharedStack() {}

  public static synchronized LocalStack get() {
    if (stack == null) {
      try {
        Path dir = Files.createTempDirectory("vegart-it-");
        stack = LocalStack.start(dir, new Env(Map.of(
            "VEGART_HTTP_PORT", "0",
            "VEGART_MODEL_DIR", "../models/tiny-random",
            "VEGART_RELAY_INTERVAL", "1s",
            "VEGART_RELAY_MIN_AGE", "2s")), true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            stack.close();
          } catch (Exception e) {
            System.err.println("stack did not stop cleanly: " + e);
          }
        }));
      } catch (Exception e) {
        throw new IllegalStateException("the local stack did not start", e);
      }
    }
    return stack;
  }
}
