package dev.vegart.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart lints clean in strict mode, and values that would make a broken fleet fail the install. */
class ChartLintTest {

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = Chart.lintStrict();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void refusesMoreWorkersThanJobsPartitions() {
    assertThatThrownBy(() -> Chart.template(Map.of(
            "worker.autoscaling.maxReplicas", "32", "kafka.topicCreation.jobsPartitions", "24")))
        .hasMessageContaining("kafka.topicCreation.jobsPartitions (24) must be at least worker.autoscaling.maxReplicas (32)");
  }

  @Test
  void refusesSaslWithoutCredentials() {
    assertThatThrownBy(() -> Chart.template(Map.of("kafka.securityProtocol", "SASL_SSL", "kafka.tls.existingSecret", "tls")))
        .hasMessageContaining("kafka.sasl.username and kafka.sasl.password");
  }

  @Test
  void refusesTlsWithoutATruststore() {
    assertThatThrownBy(() -> Chart.template(Map.of("kafka.securityProtocol", "SSL")))
        .hasMessageContaining("kafka.tls.existingSecret is required");
  }

  @Test
  void refusesAnUnknownSecurityProtocol() {
    assertThatThrownBy(() -> Chart.template(Map.of("kafka.securityProtocol", "TLS")))
        .hasMessageContaining("/kafka/securityProtocol").hasMessageContaining("must be one of");
  }

  @Test
  void refusesAModelVolumeWithoutAClaim() {
    assertThatThrownBy(() -> Chart.template(Map.of("worker.model.source", "volume")))
        .hasMessageContaining("worker.model.volume.existingClaim is required");
  }

  @Test
  void refusesAMisspelledValueInsteadOfIgnoringIt() {
    assertThatThrownBy(() -> Chart.template(Map.of("worker.autoscaling.maxReplica", "3")))
        .hasMessageContaining("maxReplica");
  }

  @Test
  void refusesAValueOfTheWrongShape() {
    assertThatThrownBy(() -> Chart.template(Map.of("worker.device", "gpu")))
        .hasMessageContaining("/worker/device");
    assertThatThrownBy(() -> Chart.template(Map.of("worker.autoscaling.minReplicas", "-1")))
        .hasMessageContaining("/worker/autoscaling/minReplicas");
  }

  @Test
  void refusesARulesFileThatIsNotInTheChart() {
    assertThatThrownBy(() -> Chart.template(Map.of(
            "metrics.prometheusRule.enabled", "true", "metrics.prometheusRule.rulesFile", "files/missing.yaml")))
        .hasMessageContaining("must be a Prometheus rules file");
  }
}
