package dev.vegart.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Static checks of deploy/docker: pinned bases, non-root, the JVM as PID 1, natives fetched at build. */
class DockerfilesTest {
  static final Path DIR = CodeEnvNames.REPO.resolve("deploy/docker");

  @ParameterizedTest
  @ValueSource(strings = {"gateway.Dockerfile", "worker.Dockerfile"})
  void everyBaseImageIsPinnedToATag(String file) {
    Dockerfile d = Dockerfile.read(DIR.resolve(file));
    Set<String> stageNames = new TreeSet<>(d.stages().stream().map(Dockerfile.Stage::name).toList());
    for (Dockerfile.Stage stage : d.stages()) {
      if (stageNames.contains(stage.image())) {
        continue; // FROM an earlier stage
      }
      assertThat(stage.image()).as(file).doesNotContain("${").matches("[^:]+:[^:]+").doesNotEndWith(":latest");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway.Dockerfile", "worker.Dockerfile"})
  void runsAsANumericNonRootUserWithTheJvmAsPid1(String file) {
    Dockerfile.Stage last = Dockerfile.read(DIR.resolve(file)).last();
    List<String> users = last.all("USER");
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).split(":")[0];
    assertThat(user).as("numeric, so Kubernetes can check runAsNonRoot").matches("\\d+");
    assertThat(Integer.parseInt(user)).isPositive();

    List<String> entrypoint = json(last.all("ENTRYPOINT").get(0));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("/app/lib/*", "dev.vegart.stack.Main", "-Dai.djl.offline=true");
    assertThat(CodeEnvNames.REPO.resolve("stack/src/main/java/dev/vegart/stack/Main.java")).isRegularFile();
    assertThat(json(last.all("CMD").get(0))).containsExactly(file.startsWith("gateway") ? "gateway" : "worker");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway.Dockerfile", "worker.Dockerfile"})
  void packagesTheStackClasspathWhereTheStackPomPutsIt(String file) throws IOException {
    Dockerfile.Stage build = Dockerfile.read(DIR.resolve(file)).stage("build");
    String run = String.join("\n", build.all("RUN"));
    assertThat(run).contains("-pl stack -am package").contains("stack/target/lib/*.jar");
    assertThat(Files.readString(CodeEnvNames.REPO.resolve("stack/pom.xml")))
        .contains("<goal>copy-dependencies</goal>")
        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
    assertThat(DIR.resolve(file + ".dockerignore")).isRegularFile();
  }

  @Test
  void workerImageCarriesTheCudaLibtorchAndRunsOffline() {
    Dockerfile d = Dockerfile.read(DIR.resolve("worker.Dockerfile"));
    Dockerfile.Stage fetch = d.stage("libtorch");
    Dockerfile.Stage last = d.last();

    assertThat(last.image()).startsWith("nvidia/cuda:12.8");
    assertThat(fetch.env()).containsEntry("PYTORCH_FLAVOR", "cu128").containsEntry("PYTORCH_VERSION", "2.7.1");
    assertThat(String.join("\n", fetch.all("RUN"))).contains("PrefetchNatives.java");
    assertThat(last.env())
        .containsEntry("PYTORCH_FLAVOR", "cu128")
        .containsEntry("PYTORCH_VERSION", "2.7.1")
        .containsEntry("DJL_OFFLINE", "true")
        .containsEntry("DJL_CACHE_DIR", fetch.env().get("DJL_CACHE_DIR"));
    assertThat(last.all("COPY")).anyMatch(c -> c.equals("--from=libtorch /opt/djl /opt/djl"));
    // With pytorch-native-cpu on the classpath DJL would ignore PYTORCH_FLAVOR.
    assertThat(String.join("\n", d.stage("build").all("RUN"))).contains("rm /app/lib/pytorch-native-cpu-");
    assertThat(DIR.resolve("PrefetchNatives.java")).isRegularFile();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway.Dockerfile", "worker.Dockerfile"})
  void everyVegartVariableIsOneTheCodeReads(String file) {
    Set<String> names = new TreeSet<>();
    Dockerfile.read(DIR.resolve(file)).stages().forEach(s -> s.env().keySet().stream()
        .filter(k -> k.startsWith("VEGART_")).forEach(names::add));
    assertThat(names).isNotEmpty();
    assertThat(CodeEnvNames.readByCode()).containsAll(names);
  }

  @SuppressWarnings("unchecked")
  private static List<String> json(String execForm) {
    assertThat(execForm).as("exec form").startsWith("[");
    return new KubernetesSerialization().unmarshal(execForm, List.class);
  }
}
