package dev.vegart.helm;

import static dev.vegart.helm.Rendered.at;
import static dev.vegart.helm.Rendered.container;
import static dev.vegart.helm.Rendered.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The KEDA ScaledObject scales the workers on the backlog they actually consume. */
class WorkerAutoscalingTest {
  private static final Pattern ENSURE = Pattern.compile("ensure \"([^\"]+)\" (\\d+) (\\d+)");

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void scaledObjectWatchesTheWorkersGroupOnTheTopicTheyConsume(ValuesCase c) {
    Rendered r = Renderings.of(c);
    Deployment worker = r.deployment("worker");
    Map<String, Object> trigger = kafkaTrigger(r);
    Map<String, Object> metadata = at(trigger, "metadata");
    String topic = env(container(worker, "worker"), "VEGART_KAFKA_JOBS_TOPIC").map(EnvVar::getValue).orElseThrow();

    assertThat(topic).isEqualTo("vegart.jobs");
    assertThat(metadata).containsEntry("consumerGroup", "vegart-workers").containsEntry("topic", topic);
    assertThat(metadata).containsEntry("bootstrapServers",
        env(container(worker, "worker"), "VEGART_KAFKA_BOOTSTRAP_SERVERS").map(EnvVar::getValue).orElseThrow());
    assertThat(metadata).containsEntry("offsetResetPolicy", "earliest").containsEntry("allowIdleConsumers", "false");
    // KEDA rejects trigger metadata that is not a string.
    assertThat(metadata.values()).allSatisfy(v -> assertThat(v).isInstanceOf(String.class));
    Map<String, Object> spec = scaledObject(r).getAdditionalProperties();
    assertThat((String) at(spec, "spec", "scaleTargetRef", "name")).isEqualTo(worker.getMetadata().getName());
    assertThat(worker.getSpec().getReplicas()).as("KEDA owns the replica count").isNull();
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void lagThresholdIsTheBacklogOneWorkerClearsInTheTargetTime(ValuesCase c) {
    Values v = c.effectiveValues();
    long expected = (long) Math.ceil(v.number("worker.throughput.imagesPerSecondPerGpu")
        * v.number("worker.gpu.count") * v.number("worker.autoscaling.targetBacklogSeconds"));
    Map<String, Object> metadata = at(kafkaTrigger(Renderings.of(c)), "metadata");

    assertThat(metadata).containsEntry("lagThreshold", Long.toString(expected));
    assertThat(metadata).containsEntry("activationLagThreshold", v.string("worker.autoscaling.activationLagThreshold"));
    if (c == ValuesCase.DEFAULTS) {
      assertThat(expected).as("9.4 img/s x 1 GPU x 30 s").isEqualTo(282);
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void replicaBoundsAndScaleDownWindowComeFromValues(ValuesCase c) {
    Values v = c.effectiveValues();
    Map<String, Object> spec = at(scaledObject(Renderings.of(c)).getAdditionalProperties(), "spec");

    assertThat(((Number) spec.get("minReplicaCount")).intValue()).isEqualTo(v.integer("worker.autoscaling.minReplicas"));
    assertThat(((Number) spec.get("maxReplicaCount")).intValue()).isEqualTo(v.integer("worker.autoscaling.maxReplicas"));
    Map<String, Object> scaleDown = at(spec, "advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown");
    assertThat(((Number) scaleDown.get("stabilizationWindowSeconds")).intValue())
        .isEqualTo(v.integer("worker.autoscaling.scaleDownStabilizationWindowSeconds"))
        .isPositive();
    if (c == ValuesCase.SCALE_TO_ZERO) {
      assertThat(((Number) spec.get("minReplicaCount")).intValue()).isZero();
      assertThat(((Number) spec.get("cooldownPeriod")).intValue()).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void jobsTopicHasAPartitionForEveryWorkerKedaMayStart(ValuesCase c) {
    Rendered r = Renderings.of(c);
    int maxReplicas = ((Number) at(scaledObject(r).getAdditionalProperties(), "spec", "maxReplicaCount")).intValue();
    int partitions = jobsTopicPartitions(r, c.effectiveValues().string("kafka.topics.jobs"));
    assertThat(partitions).isGreaterThanOrEqualTo(maxReplicas);
    // The gateway creates missing topics too: it must not create a smaller one if it wins the race.
    var gateway = container(r.deployment("gateway"), "gateway");
    assertThat(env(gateway, "VEGART_KAFKA_PARTITIONS").map(EnvVar::getValue)).contains(Integer.toString(partitions));
    assertThat(env(gateway, "VEGART_KAFKA_REPLICATION").map(EnvVar::getValue))
        .contains(c.effectiveValues().string("kafka.topicCreation.replicationFactor"));
  }

  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void saslOrTlsClustersGetATriggerAuthenticationFromTheSameSecrets(ValuesCase c) {
    Rendered r = Renderings.of(c);
    String protocol = c.effectiveValues().string("kafka.securityProtocol");
    List<GenericKubernetesResource> auths = r.custom("TriggerAuthentication");
    if (protocol.equals("PLAINTEXT")) {
      assertThat(auths).isEmpty();
      assertThat(kafkaTrigger(r)).doesNotContainKey("authenticationRef");
      return;
    }
    GenericKubernetesResource auth = auths.get(0);
    assertThat((String) at(kafkaTrigger(r), "authenticationRef", "name")).isEqualTo(auth.getMetadata().getName());
    List<Map<String, Object>> refs = at(auth.getAdditionalProperties(), "spec", "secretTargetRef");
    Map<String, Object> metadata = at(kafkaTrigger(r), "metadata");
    if (protocol.endsWith("SSL")) {
      assertThat(refs).extracting(m -> m.get("parameter")).contains("ca");
      assertThat(metadata).containsEntry("tls", "enable");
    }
    if (protocol.startsWith("SASL")) {
      assertThat(refs).extracting(m -> m.get("parameter")).contains("username", "password");
      assertThat(metadata.get("sasl")).isIn("plaintext", "scram_sha256", "scram_sha512");
    } else {
      assertThat(metadata).doesNotContainKey("sasl");
    }
  }

  @org.junit.jupiter.api.Test
  void withoutKedaTheWorkersRunAFixedCount() {
    Rendered r = Chart.render("fixed-workers", Map.of("worker.autoscaling.enabled", "false", "worker.replicas", "3"));
    assertThat(r.custom("ScaledObject")).isEmpty();
    assertThat(r.deployment("worker").getSpec().getReplicas()).isEqualTo(3);
  }

  static GenericKubernetesResource scaledObject(Rendered r) {
    List<GenericKubernetesResource> all = r.custom("ScaledObject");
    assertThat(all).hasSize(1);
    assertThat(all.get(0).getApiVersion()).isEqualTo("keda.sh/v1alpha1");
    return all.get(0);
  }

  static Map<String, Object> kafkaTrigger(Rendered r) {
    List<Map<String, Object>> triggers = at(scaledObject(r).getAdditionalProperties(), "spec", "triggers");
    assertThat(triggers).hasSize(1);
    assertThat(triggers.get(0)).containsEntry("type", "kafka");
    return triggers.get(0);
  }

  /** Beside the jobs and events topics, the dead letters of the jobs topic and the cancel commands' topic. */
  @ParameterizedTest
  @EnumSource(ValuesCase.class)
  void everyTopicTheAppsUseIsCreated(ValuesCase c) {
    org.junit.jupiter.api.Assumptions.assumeFalse("none".equals(c.effectiveValues().string("kafka.topicCreation.mode")),
        "topic creation is off");
    Rendered r = Renderings.of(c);
    Container worker = container(r.deployment("worker"), "worker");
    String jobs = env(worker, "VEGART_KAFKA_JOBS_TOPIC").map(EnvVar::getValue).orElseThrow();
    String events = env(worker, "VEGART_KAFKA_EVENTS_TOPIC").map(EnvVar::getValue).orElseThrow();
    for (String topic : List.of(jobs, events, jobs + ".dlq", "vegart.job-control")) {
      assertThat(jobsTopicPartitions(r, topic)).as(topic).isPositive();
    }
  }

  /** Partitions the chart gives the jobs topic: from the topic Job's script or the Strimzi KafkaTopic. */
  static int jobsTopicPartitions(Rendered r, String topic) {
    for (GenericKubernetesResource kt : r.custom("KafkaTopic")) {
      if (topic.equals(at(kt.getAdditionalProperties(), "spec", "topicName"))) {
        return ((Number) at(kt.getAdditionalProperties(), "spec", "partitions")).intValue();
      }
    }
    for (Job job : r.all(Job.class)) {
      String script = String.join("\n", job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
      Matcher m = ENSURE.matcher(script);
      while (m.find()) {
        if (m.group(1).equals(topic)) {
          return Integer.parseInt(m.group(2));
        }
      }
    }
    throw new AssertionError(r.caseName() + ": nothing creates topic " + topic);
  }
}
