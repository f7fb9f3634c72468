package dev.vegart.helm;

import static dev.vegart.helm.Rendered.container;
import static dev.vegart.helm.Rendered.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Renders every case of {@link ValuesCase} and checks what a cluster would run, on typed objects. */
class ChartMatrixTest {

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void everyPodAndContainerMeetsTheRestrictedPodSecurityStandard(ValuesCase c) {
    Rendered r = Renderings.of(c);
    assertThat(r.podSpecs()).hasSizeGreaterThanOrEqualTo(2);
    for (PodSpec pod : r.podSpecs()) {
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }
    for (Container container : r.containers()) {
      var sc = container.getSecurityContext();
      assertThat(sc).as(container.getName()).isNotNull();
      assertThat(sc.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
      assertThat(sc.getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
      assertThat(sc.getCapabilities().getDrop()).as(container.getName()).containsExactly("ALL");
      assertThat(sc.getCapabilities().getAdd()).as(container.getName()).isNullOrEmpty();
      assertThat(sc.getPrivileged()).as(container.getName()).isNotEqualTo(Boolean.TRUE);
      assertThat(container.getResources().getLimits()).as(container.getName()).containsKey("memory");
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void workerRequestsItsGpuAndLandsOnGpuNodes(ValuesCase c) {
    Values v = c.effectiveValues();
    Deployment worker = Renderings.of(c).deployment("worker");
    Container main = container(worker, "worker");
    String gpu = v.string("worker.gpu.resource");
    Quantity count = new Quantity(v.string("worker.gpu.count"));

    assertThat(main.getResources().getLimits()).containsEntry(gpu, count);
    assertThat(main.getResources().getRequests()).containsEntry(gpu, count);
    assertThat(env(main, "VEGART_DEVICE").map(EnvVar::getValue)).contains("cuda");
    PodSpec pod = worker.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));

    Container gateway = container(Renderings.of(c).deployment("gateway"), "gateway");
    assertThat(gateway.getResources().getLimits().keySet()).noneMatch(k -> k.startsWith("nvidia.com/"));
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void workerGracePeriodCoversTheDrainItIsToldToFinishIn(ValuesCase c) {
    Values v = c.effectiveValues();
    long drainSeconds = v.integer("worker.drain.worstCaseBatchSeconds") + v.integer("worker.drain.uploadSeconds");
    Deployment worker = Renderings.of(c).deployment("worker");
    Container main = container(worker, "worker");
    long grace = worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();

    assertThat(env(main, "VEGART_SHUTDOWN_GRACE").map(EnvVar::getValue)).contains(drainSeconds + "s");
    // An upload retried past its share of the drain would be cut by SIGKILL instead of failing its job.
    assertThat(env(main, "VEGART_UPLOAD_RETRY_BUDGET").map(EnvVar::getValue))
        .contains(v.integer("worker.drain.uploadSeconds") + "s");
    assertThat(grace).isGreaterThanOrEqualTo(drainSeconds + v.integer("worker.drain.marginSeconds"));
    assertThat(grace).isGreaterThan(drainSeconds);
    // The preStop hook starts the drain and waits for it, never longer than the drain time.
    List<String> preStop = main.getLifecycle().getPreStop().getExec().getCommand();
    assertThat(String.join(" ", preStop)).contains("kill -TERM 1").contains("-lt " + drainSeconds + " ]");
    // A rolling update must not ask for a second GPU per worker.
    assertThat(worker.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void gatewayAndWorkerProbeTheirHealthEndpointsOnDeclaredPorts(ValuesCase c) {
    Rendered r = Renderings.of(c);
    for (String component : List.of("gateway", "worker")) {
      Container main = container(r.deployment(component), component);
      Set<String> ports = new HashSet<>(main.getPorts().stream().map(ContainerPort::getName).toList());
      assertProbe(main.getLivenessProbe(), "/health/live", ports);
      assertProbe(main.getReadinessProbe(), "/health/ready", ports);
      assertProbe(main.getStartupProbe(), "/health/live", ports);
    }
    Container worker = container(r.deployment("worker"), "worker");
    Probe startup = worker.getStartupProbe();
    assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
        .as("time allowed to load the model")
        .isGreaterThanOrEqualTo(c.effectiveValues().integer("worker.probes.startupTimeoutSeconds"));
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void everySecretReferenceResolvesToARenderedKeyOrANamedExternalSecret(ValuesCase c) {
    Rendered r = Renderings.of(c);
    Map<String, Secret> rendered = new java.util.HashMap<>();
    r.all(Secret.class).forEach(s -> rendered.put(s.getMetadata().getName(), s));
    Set<String> external = Stream.of("gateway.existingSecret", "database.existingSecret",
            "s3.credentials.existingSecret", "kafka.sasl.existingSecret", "kafka.tls.existingSecret")
        .map(k -> c.effectiveValues().string(k))
        .filter(s -> !s.isEmpty())
        .collect(java.util.stream.Collectors.toSet());

    List<EnvVar> refs = r.containers().stream()
        .flatMap(ct -> ct.getEnv().stream())
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .toList();
    assertThat(refs).isNotEmpty();
    for (EnvVar e : refs) {
      var ref = e.getValueFrom().getSecretKeyRef();
      if (external.contains(ref.getName())) {
        assertThat(rendered).as("the chart must not also create " + ref.getName()).doesNotContainKey(ref.getName());
      } else {
        assertThat(rendered).as(e.getName() + " -> " + ref.getName()).containsKey(ref.getName());
        assertThat(rendered.get(ref.getName()).getData()).as(e.getName()).containsKey(ref.getKey());
      }
    }
    if (c == ValuesCase.EXTERNAL_SECRETS) {
      assertThat(rendered).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void everyVegartVariableSetIsOneTheCodeReads(ValuesCase c) {
    Set<String> set = new java.util.TreeSet<>();
    Renderings.of(c).containers().forEach(ct -> ct.getEnv().stream()
        .map(EnvVar::getName)
        .filter(n -> n.startsWith("VEGART_"))
        .forEach(set::add));
    assertThat(set).contains("VEGART_KAFKA_BOOTSTRAP_SERVERS", "VEGART_MODEL_DIR", "VEGART_HTTP_PORT");
    assertThat(CodeEnvNames.readByCode()).containsAll(set);
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void servicesSelectTheirPodsAndTargetNamedPorts(ValuesCase c) {
    Rendered r = Renderings.of(c);
    for (Service service : r.all(Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      Deployment target = r.all(Deployment.class).stream()
          .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
          .findFirst()
          .orElseThrow(() -> new AssertionError(service.getMetadata().getName() + " selects no pods"));
      Set<String> ports = new HashSet<>();
      target.getSpec().getTemplate().getSpec().getContainers().forEach(ct -> ct.getPorts().forEach(p -> ports.add(p.getName())));
      service.getSpec().getPorts().forEach(p -> assertThat(ports).contains(p.getTargetPort().getStrVal()));
      assertThat(target.getSpec().getSelector().getMatchLabels().entrySet()).containsAll(selector.entrySet());
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void ingressExistsOnlyWhenAskedAndRoutesToTheGatewayHttpPort(ValuesCase c) {
    Rendered r = Renderings.of(c);
    List<Ingress> ingresses = r.all(Ingress.class);
    if (c != ValuesCase.INGRESS_ON) {
      assertThat(ingresses).isEmpty();
      return;
    }
    assertThat(ingresses).singleElement().satisfies(ingress -> {
      assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
      assertThat(ingress.getSpec().getTls()).singleElement()
          .satisfies(tls -> assertThat(tls.getHosts()).containsExactly("vegart.example.com"));
      var backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
      Service gateway = r.one(Service.class, backend.getName());
      assertThat(gateway.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo(backend.getPort().getName()));
    });
  }

  private static void assertProbe(Probe probe, String path, Set<String> ports) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(ports).contains(Objects.requireNonNull(probe.getHttpGet().getPort().getStrVal()));
  }
}
