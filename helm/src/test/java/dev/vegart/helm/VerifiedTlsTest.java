package dev.vegart.helm;

import static dev.vegart.helm.Rendered.container;
import static dev.vegart.helm.Rendered.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL certificate verification and Kafka mutual TLS: every file an app is told to read is mounted
 * from the Secret that holds it, and impossible combinations fail the install.
 */
class VerifiedTlsTest {
  private final Rendered r = Renderings.of(ValuesCase.VERIFIED_TLS);

  @Test
  void theGatewayReadsTheDatabaseCaFromTheNamedSecret() {
    Deployment gateway = r.deployment("gateway");
    assertThat(value(container(gateway, "gateway"), "VEGART_DATABASE_SSL_MODE")).isEqualTo("verify-full");
    assertMountedFrom(gateway, "gateway", value(container(gateway, "gateway"), "VEGART_DATABASE_SSL_ROOT_CERT"),
        "ext-database-ca", "ca.crt");
  }

  @Test
  void gatewayAndWorkerPresentTheClientKeyStore() {
    for (String component : List.of("gateway", "worker")) {
      Deployment d = r.deployment(component);
      Container c = container(d, component);
      assertMountedFrom(d, component, value(c, "VEGART_KAFKA_SSL_KEYSTORE_LOCATION"), "ext-kafka-tls", "keystore.p12");
      assertThat(env(c, "VEGART_KAFKA_SSL_KEYSTORE_PASSWORD").orElseThrow().getValueFrom().getSecretKeyRef())
          .satisfies(ref -> {
            assertThat(ref.getName()).isEqualTo("ext-kafka-tls");
            assertThat(ref.getKey()).isEqualTo("keystore-password");
          });
    }
  }

  @Test
  void theTopicJobAndKedaPresentTheClientCertificateToo() {
    Job topics = r.all(Job.class).get(0);
    assertThat(String.join("\n", topics.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()))
        .contains("ssl.keystore.location=/etc/vegart/kafka-tls/keystore.p12", "ssl.keystore.password=${KEYSTORE_PASSWORD}");
    List<Map<String, Object>> refs = Rendered.at(r.custom("TriggerAuthentication").get(0).getAdditionalProperties(),
        "spec", "secretTargetRef");
    assertThat(refs).anySatisfy(ref -> assertThat(ref).containsEntry("parameter", "cert").containsEntry("key", "tls.crt"))
        .anySatisfy(ref -> assertThat(ref).containsEntry("parameter", "key").containsEntry("key", "tls.key"));
  }

  @Test
  void refusesVerificationWithoutACa() {
    assertThatThrownBy(() -> Chart.template(Map.of("database.sslMode", "verify-ca")))
        .hasMessageContaining("database.rootCertSecret (a Secret with key ca.crt) is required with database.sslMode verify-ca");
  }

  @Test
  void refusesACaThatNoModeUses() {
    assertThatThrownBy(() -> Chart.template(Map.of("database.sslMode", "require", "database.rootCertSecret", "ca")))
        .hasMessageContaining("database.rootCertSecret is only used with database.sslMode verify-ca or verify-full");
  }

  @Test
  void refusesAClientCertificateWithoutTls() {
    assertThatThrownBy(() -> Chart.template(Map.of("kafka.tls.clientCertificate", "true")))
        .hasMessageContaining("kafka.tls.clientCertificate needs securityProtocol SSL or SASL_SSL");
  }

  /** {@code file} lies in a read-only mount of a volume made from {@code key} of Secret {@code secret}. */
  private static void assertMountedFrom(Deployment d, String containerName, String file, String secret, String key) {
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    VolumeMount mount = container(d, containerName).getVolumeMounts().stream()
        .filter(m -> Path.of(file).getParent().equals(Path.of(m.getMountPath())))
        .findFirst().orElseThrow(() -> new AssertionError("no mount holds " + file));
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo(secret);
    String name = Path.of(file).getFileName().toString();
    boolean projected = volume.getSecret().getItems() != null && !volume.getSecret().getItems().isEmpty();
    if (projected) {
      assertThat(volume.getSecret().getItems()).anySatisfy(i -> {
        assertThat(i.getKey()).isEqualTo(key);
        assertThat(i.getPath()).isEqualTo(name);
      });
    } else {
      assertThat(name).isEqualTo(key);
    }
  }

  private static String value(Container c, String name) {
    return env(c, name).map(EnvVar::getValue).orElseThrow(() -> new AssertionError(c.getName() + " lacks " + name));
  }
}
