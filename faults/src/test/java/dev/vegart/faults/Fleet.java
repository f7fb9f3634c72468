package dev.vegart.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fleet as separate OS processes on loopback: a Kafka broker, PostgreSQL, S3Proxy, two gateways and two
 * CPU workers, each a {@code vegart} process ({@code infra kafka|postgres|s3}, {@code gateway}, {@code worker})
 * configured only through environment variables, exactly as in production.
 */
final class Fleet implements AutoCloseable {
  static final Pattern INFRA_READY = Pattern.compile("READY (\\S+)");
  static final Pattern GATEWAY_READY = Pattern.compile("gateway listening on port (\\d+)");
  static final Pattern WORKER_READY = Pattern.compile("ready: metrics and health on port (\\d+)");
  static final String ADMIN_TOKEN = "fleet-admin-token-0123456789";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Path dir;
  private final Map<String, String> common = new HashMap<>();
  private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
  private final List<String> gatewayUrls = new ArrayList<>();

  private Fleet(Path dir) {
    this.dir = dir;
  }

  /** Starts everything; {@code overrides} are added to every component's environment. */
  static Fleet start(Path dir, Map<String, String> overrides) {
    Fleet fleet = new Fleet(dir);
    // If the test JVM is stopped, its child processes must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(fleet::close));
    try {
      Files.createDirectories(dir);
      fleet.startAll(overrides);
      return fleet;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      fleet.close();
      throw e;
    }
  }

  private void startAll(Map<String, String> overrides) {
    common.put("AWS_ACCESS_KEY_ID", "fleetaccess");
    common.put("AWS_SECRET_ACCESS_KEY", "fleet-secret-key-0123456789");
    common.put("AWS_REGION", "us-east-1");
    common.put("DJL_OFFLINE", "true");
    common.put("OPT_OUT_TRACKING", "true");
    common.put("VEGART_DATA_DIR", dir.toString());
    common.put("VEGART_ADMIN_TOKEN", ADMIN_TOKEN);
    common.put("VEGART_KEY_PEPPER", "fleet-pepper-0123456789abcdef");
    common.put("VEGART_MODEL_DIR", Path.of("../models/tiny-random").toAbsolutePath().normalize().toString());
    common.put("VEGART_SIZES", "64x64,128x128,256x256,512x512");
    common.put("VEGART_KAFKA_PARTITIONS", "4");
    common.put("VEGART_WORKER_HTTP_PORT", "0");
    common.put("VEGART_RELAY_INTERVAL", "1s");
    common.put("VEGART_RELAY_MIN_AGE", "3s");
    common.put("VEGART_MAX_BATCH_SIZE", "4");
    common.putAll(overrides);

    int kafkaPort = freePort();
    int controllerPort = freePort();
    String kafka = infra("kafka", Map.of("VEGART_INFRA_PORT", Integer.toString(kafkaPort),
        "VEGART_INFRA_CONTROLLER_PORT", Integer.toString(controllerPort)));
    String postgres = infra("postgres", Map.of("VEGART_INFRA_PORT", Integer.toString(freePort())));
    String s3 = infra("s3", Map.of("VEGART_INFRA_PORT", Integer.toString(freePort())));
    common.put("VEGART_KAFKA_BOOTSTRAP_SERVERS", kafka);
    common.put("VEGART_DATABASE_URL", postgres);
    common.put("VEGART_DATABASE_USER", "postgres");
    common.put("VEGART_S3_ENDPOINT", s3);
    for (String name : List.of("gateway-a", "gateway-b")) {
      Map<String, String> env = new HashMap<>(common);
      env.put("VEGART_HTTP_PORT", Integer.toString(freePort()));
      ManagedProcess p = process(name, env, GATEWAY_READY, "gateway");
      gatewayUrls.add("http://127.0.0.1:" + p.start(START_TIMEOUT));
    }
    for (String name : List.of("worker-a", "worker-b")) {
      Map<String, String> env = new HashMap<>(common);
      env.put("VEGART_WORKER_ID", name);
      process(name, env, WORKER_READY, "worker").start(START_TIMEOUT);
    }
  }

  private String infra(String what, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(extra);
    return process(what, env, INFRA_READY, "infra", what).start(START_TIMEOUT);
  }

  private ManagedProcess process(String name, Map<String, String> env, Pattern ready, String... args) {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "dev.vegart.stack.Main"));
    command.addAll(List.of(args));
    ManagedProcess p = new ManagedProcess(name, command, env, dir.resolve(name + ".log"), ready);
    processes.put(name, p);
    return p;
  }

  ManagedProcess get(String name) {
    return processes.get(name);
  }

  /** Restarts a stopped or killed component and waits until it is ready again. */
  void restart(String name) {
    processes.get(name).start(START_TIMEOUT);
  }

  String gatewayUrl(int index) {
    return gatewayUrls.get(index);
  }

  String databaseUrl() {
    return common.get("VEGART_DATABASE_URL");
  }

  String kafkaBootstrapServers() {
    return common.get("VEGART_KAFKA_BOOTSTRAP_SERVERS");
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    List<ManagedProcess> reversed = new ArrayList<>(processes.values());
    java.util.Collections.reverse(reversed);
    for (ManagedProcess p : reversed) {
      if (p.alive()) {
        try {
          p.terminate(Duration.ofSeconds(30));
        } catch (AssertionError e) {
          System.err.println(e.getMessage());
        }
      }
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
