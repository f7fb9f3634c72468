package dev.vegart.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code helm/vegart} with the Helm library bundled in helm-java (no helm binary, no cluster) and
 * parses the output into fabric8 objects. Every rendering is also written to {@code target/rendered/} so
 * that {@code helm/validate} can check it against the Kubernetes JSON schemas.
 */
final class Chart {
  static final Path DIR = Path.of("vegart").toAbsolutePath();
  static final Path RENDERED = Path.of("target", "rendered").toAbsolutePath();
  static final String RELEASE = "vegart";
  static final String NAMESPACE = "vegart";
  // Helm assumes v1.20 without a cluster; the chart needs 1.27 (sidecar-free probes, autoscaling/v2, policy/v1).
  static final String KUBE_VERSION = "1.31.0";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Chart() {}

  /** {@code helm lint --strict} on the chart with its default values. */
  static LintResult lintStrict() {
    return new Helm(DIR).lint().strict().call();
  }

  /** {@code helm template} with {@code --set key=value} for each entry; a failing template throws. */
  static String template(Map<String, Object> values) {
    TemplateCommand command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
    values.forEach(command::set);
    return command.call();
  }

  /** Renders one case of the matrix, keeps its YAML for the schema validator and parses it. */
  static Rendered render(String caseName, Map<String, Object> values) {
    String yaml = template(values);
    try {
      Files.createDirectories(RENDERED);
      Files.writeString(RENDERED.resolve(caseName + ".yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Rendered(caseName, parse(yaml));
  }

  /** Splits a multi-document stream and parses each object (CRDs become GenericKubernetesResource). */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      boolean empty = document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
      }
    }
    return List.copyOf(objects);
  }
}
