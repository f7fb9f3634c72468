package dev.vegart.helm;

import static dev.vegart.helm.Rendered.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the compose fleet (no container engine runs here): it parses, has every service,
 * and configures only what the code reads.
 */
class ComposeFleetTest {
  static final Path DIR = CodeEnvNames.REPO.resolve("deploy/compose");
  private final Map<String, Object> compose = load(DIR.resolve("compose.yaml"));
  private final Map<String, Map<String, Object>> services = at(compose, "services");

  @Test
  void hasTheWholeFleet() {
    assertThat(services).containsKeys("kafka", "kafka-topics", "postgres", "minio", "minio-buckets",
        "prometheus", "grafana", "gateway-1", "gateway-2", "worker-cpu", "worker-gpu");
    Map<String, Object> kafka = at(services.get("kafka"), "environment");
    assertThat(kafka.get("KAFKA_PROCESS_ROLES")).as("KRaft, no ZooKeeper").isEqualTo("broker,controller");
    assertThat(services.keySet()).noneMatch(s -> s.contains("zookeeper"));
  }

  @Test
  void workersComeInACpuAndAGpuProfileAndGatewaysAlwaysRun() {
    assertThat((List<String>) services.get("worker-cpu").get("profiles")).containsExactly("cpu");
    assertThat((List<String>) services.get("worker-gpu").get("profiles")).containsExactly("gpu");
    assertThat(services.get("gateway-1")).doesNotContainKey("profiles");
    assertThat(services.get("gateway-2")).doesNotContainKey("profiles");
    List<Map<String, Object>> devices = at(services.get("worker-gpu"), "deploy", "resources", "reservations", "devices");
    assertThat(devices).singleElement().satisfies(d -> {
      assertThat(d).containsEntry("driver", "nvidia");
      assertThat((List<String>) d.get("capabilities")).contains("gpu");
    });
    assertThat(environment("worker-cpu")).containsEntry("VEGART_DEVICE", "cpu");
    assertThat(environment("worker-gpu")).containsEntry("VEGART_DEVICE", "cuda");
  }

  @Test
  void workersAreGivenMoreTimeToStopThanTheyNeedToDrainAndUpload() {
    for (String worker : List.of("worker-cpu", "worker-gpu")) {
      Duration drain = duration(environment(worker).get("VEGART_SHUTDOWN_GRACE"));
      Duration upload = duration(environment(worker).get("VEGART_UPLOAD_RETRY_BUDGET"));
      Duration stop = duration((String) services.get(worker).get("stop_grace_period"));
      assertThat(drain).as(worker).isGreaterThan(upload);
      assertThat(stop).as(worker).isGreaterThan(drain);
    }
  }

  @Test
  void everyVegartVariableIsOneTheCodeReads() {
    Set<String> used = new TreeSet<>();
    for (String service : services.keySet()) {
      environment(service).keySet().stream().filter(k -> k.startsWith("VEGART_")).forEach(used::add);
    }
    assertThat(used).contains("VEGART_KAFKA_BOOTSTRAP_SERVERS", "VEGART_DATABASE_URL", "VEGART_MODEL_DIR");
    assertThat(CodeEnvNames.readByCode()).containsAll(used);
  }

  @Test
  void buildsDockerfilesAndMountsFilesThatExist() {
    for (var entry : services.entrySet()) {
      if (entry.getValue().get("build") instanceof Map<?, ?> build) {
        Path context = DIR.resolve((String) build.get("context")).normalize();
        assertThat(context.resolve((String) build.get("dockerfile"))).as(entry.getKey()).isRegularFile();
      }
      if (entry.getValue().get("env_file") instanceof String envFile) {
        assertThat(DIR.resolve(envFile)).as(entry.getKey()).isRegularFile();
      }
    }
    assertThat(DIR.resolve("prometheus.yml")).isRegularFile();
    assertThat(DIR.resolve("grafana/provisioning/datasources/prometheus.yaml")).isRegularFile();
  }

  @Test
  void prometheusScrapesTheAppServicesOnTheirConfiguredPorts() {
    Map<String, Object> prometheus = load(DIR.resolve("prometheus.yml"));
    List<Map<String, Object>> jobs = at(prometheus, "scrape_configs");
    Map<String, String> ports = Map.of(
        "gateway-1", environment("gateway-1").get("VEGART_HTTP_PORT"),
        "gateway-2", environment("gateway-2").get("VEGART_HTTP_PORT"),
        "worker-cpu", environment("worker-cpu").get("VEGART_WORKER_HTTP_PORT"),
        "worker-gpu", environment("worker-gpu").get("VEGART_WORKER_HTTP_PORT"));
    Set<String> scraped = new TreeSet<>();
    for (Map<String, Object> job : jobs) {
      assertThat(job.get("job_name")).isIn("vegart-gateway", "vegart-worker");
      List<Map<String, Object>> staticConfigs = at(job, "static_configs");
      for (Map<String, Object> sc : staticConfigs) {
        for (String target : (List<String>) sc.get("targets")) {
          String[] hostPort = target.split(":");
          assertThat(ports).containsEntry(hostPort[0], hostPort[1]);
          scraped.add(hostPort[0]);
        }
      }
    }
    assertThat(scraped).isEqualTo(ports.keySet().stream().collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void topicInitCreatesTheTopicsTheAppsUse() {
    String script = String.join("\n", (List<String>) services.get("kafka-topics").get("command"));
    String partitions = environment("gateway-1").get("VEGART_KAFKA_PARTITIONS");
    assertThat(script).contains(environment("gateway-1").get("VEGART_KAFKA_JOBS_TOPIC") + ":" + partitions)
        .contains(environment("gateway-1").get("VEGART_KAFKA_EVENTS_TOPIC") + ":")
        .contains(environment("gateway-1").get("VEGART_KAFKA_JOBS_TOPIC") + ".dlq:").contains("vegart.job-control:");
  }

  /** A service's environment: its env_file, then its environment map, as compose merges them. */
  private Map<String, String> environment(String service) {
    Map<String, Object> s = services.get(service);
    Map<String, String> env = new LinkedHashMap<>();
    if (s.get("env_file") instanceof String envFile) {
      try {
        Files.readAllLines(DIR.resolve(envFile)).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    if (s.get("environment") instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put((String) k, String.valueOf(v)));
    }
    return env;
  }

  private static Duration duration(String compose) {
    assertThat(compose).matches("\\d+s");
    return Duration.ofSeconds(Long.parseLong(compose.substring(0, compose.length() - 1)));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> load(Path file) {
    try {
      return new KubernetesSerialization().unmarshal(Files.readString(file), Map.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
