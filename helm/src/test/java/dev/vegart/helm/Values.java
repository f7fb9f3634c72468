package dev.vegart.helm;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chart's values.yaml with one case's {@code --set} overrides applied, so tests compute what the
 * templates should have derived (drain time, lag threshold) from the same numbers.
 */
final class Values {
  private final Map<String, Object> root;

  private Values(Map<String, Object> root) {
    this.root = root;
  }

  @SuppressWarnings("unchecked")
  static Values effective(Map<String, Object> overrides) {
    Map<String, Object> root;
    try {
      root = new KubernetesSerialization().unmarshal(Files.readString(Chart.DIR.resolve("values.yaml")), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Values values = new Values(deepCopy(root));
    overrides.forEach(values::put);
    return values;
  }

  Object get(String dottedPath) {
    Object node = root;
    for (String key : dottedPath.split("\\.")) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new IllegalArgumentException("values.yaml has no " + dottedPath);
      }
      node = map.get(key);
    }
    return node;
  }

  double number(String dottedPath) {
    Object value = get(dottedPath);
    return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
  }

  int integer(String dottedPath) {
    return (int) number(dottedPath);
  }

  String string(String dottedPath) {
    return String.valueOf(get(dottedPath));
  }

  @SuppressWarnings("unchecked")
  private void put(String dottedPath, Object value) {
    if (dottedPath.contains("[")) {
      return; // list entries (ingress TLS and the like) feed no derived number
    }
    String[] keys = dottedPath.split("\\.");
    Map<String, Object> node = root;
    for (int i = 0; i < keys.length - 1; i++) {
      node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
    }
    node.put(keys[keys.length - 1], value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
    return copy;
  }
}
