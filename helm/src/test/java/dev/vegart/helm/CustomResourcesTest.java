package dev.vegart.helm;

import static dev.vegart.helm.Rendered.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Structure of the custom resources the npm schema validator cannot check (their CRDs are not in
 * kubernetes-models): ServiceMonitor, PrometheusRule, Strimzi KafkaTopic.
 */
class CustomResourcesTest {
  private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d|w|y)");
  private final Rendered r = Renderings.of(ValuesCase.MONITORING_STRIMZI_SASL);

  @Test
  void serviceMonitorsSelectTheServicesAndScrapeANamedPort() {
    List<GenericKubernetesResource> monitors = r.custom("ServiceMonitor");
    assertThat(monitors).hasSize(2);
    for (GenericKubernetesResource monitor : monitors) {
      assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
      Map<String, Object> spec = at(monitor.getAdditionalProperties(), "spec");
      Map<String, String> selector = at(spec, "selector", "matchLabels");
      Service service = r.all(Service.class).stream()
          .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
          .findFirst()
          .orElseThrow(() -> new AssertionError(monitor.getMetadata().getName() + " selects no Service"));
      String jobLabel = (String) spec.get("jobLabel");
      assertThat(service.getMetadata().getLabels().get(jobLabel)).as("job label the alerts use").startsWith("vegart-");
      List<Map<String, Object>> endpoints = at(spec, "endpoints");
      assertThat(endpoints).isNotEmpty().allSatisfy(e -> {
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).contains((String) e.get("port"));
        assertThat(e.get("path")).isEqualTo("/metrics");
        assertThat((String) e.get("interval")).matches(DURATION);
      });
    }
  }

  @Test
  void prometheusRuleCarriesTheBacklogFailureAndNoWorkerAlerts() {
    List<GenericKubernetesResource> rules = r.custom("PrometheusRule");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    List<Map<String, Object>> groups = at(rules.get(0).getAdditionalProperties(), "spec", "groups");
    assertThat(groups).isNotEmpty();
    List<Map<String, Object>> all = groups.stream()
        .peek(g -> assertThat(g.get("name")).isInstanceOf(String.class))
        .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
        .toList();
    assertThat(all).allSatisfy(rule -> {
      assertThat(rule.containsKey("alert") ^ rule.containsKey("record")).as("alert or record").isTrue();
      assertThat(rule.get("expr")).isInstanceOf(String.class);
      assertThat((String) rule.get("expr")).isNotBlank();
      if (rule.containsKey("for")) {
        assertThat((String) rule.get("for")).matches(DURATION);
      }
      if (rule.containsKey("alert")) {
        assertThat(rule.get("labels")).isInstanceOf(Map.class);
        assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
      }
    });
    assertThat(all).extracting(rule -> rule.get("alert"))
        .contains("VegartJobBacklogHigh", "VegartJobFailureRatioHigh", "VegartNoWorkerReady");
    // Prometheus' own templating must survive Helm's untouched.
    assertThat(all).anySatisfy(rule -> assertThat(String.valueOf(rule.get("annotations"))).contains("{{ $value"));
  }

  @Test
  void strimziTopicsReplaceTheTopicJob() {
    List<GenericKubernetesResource> topics = r.custom("KafkaTopic");
    assertThat(topics).hasSize(4);
    assertThat(r.all(io.fabric8.kubernetes.api.model.batch.v1.Job.class)).isEmpty();
    for (GenericKubernetesResource topic : topics) {
      assertThat(topic.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
      assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "kafka");
      assertThat(topic.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
      Map<String, Object> spec = at(topic.getAdditionalProperties(), "spec");
      assertThat(spec.get("partitions")).isInstanceOf(Number.class);
      assertThat(spec.get("replicas")).isInstanceOf(Number.class);
      assertThat(((Number) spec.get("partitions")).intValue()).isPositive();
    }
    assertThat(topics).extracting(t -> at(t.getAdditionalProperties(), "spec", "topicName"))
        .containsExactlyInAnyOrder("vegart.jobs", "vegart.job-events", "vegart.jobs.dlq", "vegart.job-control");
  }
}
