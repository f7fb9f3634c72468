package dev.vegart.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects of one rendering of the chart, with lookups by type, kind and component. */
record Rendered(String caseName, List<HasMetadata> objects) {

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    return all(type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException(caseName + ": no " + type.getSimpleName() + " " + name));
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  /** Custom resources (KEDA, Prometheus Operator, Strimzi) of one kind. */
  List<GenericKubernetesResource> custom(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
  }

  Deployment deployment(String component) {
    return one(Deployment.class, Chart.RELEASE + "-" + component);
  }

  static Container container(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static Optional<EnvVar> env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
  }

  /** Every pod spec: Deployments and Jobs. */
  List<PodSpec> podSpecs() {
    return Stream.concat(
            all(Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
            all(Job.class).stream().map(j -> j.getSpec().getTemplate().getSpec()))
        .toList();
  }

  /** Every container and init container of every pod spec. */
  List<Container> containers() {
    return podSpecs().stream()
        .flatMap(p -> Stream.concat(p.getContainers().stream(), p.getInitContainers().stream()))
        .toList();
  }

  /** A nested map or value of a custom resource, by path. */
  @SuppressWarnings("unchecked")
  static <T> T at(Map<String, Object> root, String... path) {
    Object node = root;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new NoSuchElementException("missing " + String.join(".", path) + " at " + key);
      }
      node = map.get(key);
    }
    return (T) node;
  }
}
