package dev.vegart.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names stay valid DNS labels whatever the release is called, and keep their component suffix. */
class ResourceNamesTest {

  @Test
  void longNamesAreTruncatedTo63CharactersKeepingTheComponent() {
    String longName = "a-release-name-that-somebody-made-far-too-long-for-kubernetes-objects-ok";
    Rendered r = Chart.render("long-names", Map.of(
        "fullnameOverride", longName, "metrics.serviceMonitor.enabled", "true"));
    for (HasMetadata o : r.objects()) {
      assertThat(o.getMetadata().getName()).as(o.getKind()).hasSizeLessThanOrEqualTo(63)
          .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    }
    assertThat(r.all(io.fabric8.kubernetes.api.model.apps.Deployment.class))
        .extracting(d -> d.getMetadata().getName())
        .allSatisfy(n -> assertThat(n).startsWith(longName.substring(0, 40)))
        .anySatisfy(n -> assertThat(n).endsWith("-gateway"))
        .anySatisfy(n -> assertThat(n).endsWith("-worker"));
  }
}
