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
            "VEGART_RELAY_MIN_AGE", "2s",
            // The default tiers plus one whose quota a test can use up in two images (playground, CLI).
            "VEGART_TIERS", "free=100,pro=10000,unlimited=-1,tiny=2",
            // Webhook ITs: receivers on loopback, a short schedule (8 attempts over 13 s), a quick poll.
            "VEGART_WEBHOOK_ALLOW_HOSTS", "127.0.0.1,localhost",
            "VEGART_WEBHOOK_RETRY_SCHEDULE", "0s,1s,2s,2s,2s,2s,2s,2s",
            "VEGART_WEBHOOK_TIMEOUT", "5s",
            "VEGART_WEBHOOK_POLL_INTERVAL", "200ms")), true);
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
