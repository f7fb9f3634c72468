package dev.vegart.helm;

import java.util.Map;

/** The matrix of values the chart is rendered with: each is a way operators install it. */
enum ValuesCase {
  DEFAULTS(Map.of()),
  MIG_GPUS(Map.of(
      "worker.gpu.resource", "nvidia.com/mig-3g.40gb",
      "worker.throughput.imagesPerSecondPerGpu", "3.9",
      "worker.drain.worstCaseBatchSeconds", "45")),
  SCALE_TO_ZERO(Map.of(
      "worker.autoscaling.minReplicas", "0",
      "worker.autoscaling.maxReplicas", "16",
      "worker.autoscaling.activationLagThreshold", "1",
      "kafka.topicCreation.jobsPartitions", "16")),
  EXTERNAL_SECRETS(Map.of(
      "gateway.existingSecret", "ext-gateway",
      "database.existingSecret", "ext-database",
      "s3.credentials.existingSecret", "ext-s3",
      "kafka.securityProtocol", "SASL_SSL",
      "kafka.sasl.existingSecret", "ext-kafka",
      "kafka.tls.existingSecret", "ext-kafka-tls",
      "worker.model.source", "volume",
      "worker.model.volume.existingClaim", "vega-rt-model")),
  VERIFIED_TLS(Map.of(
      "kafka.securityProtocol", "SSL",
      "kafka.tls.existingSecret", "ext-kafka-tls",
      "kafka.tls.clientCertificate", "true",
      "database.sslMode", "verify-full",
      "database.rootCertSecret", "ext-database-ca")),
  INGRESS_ON(Map.of(
      "gateway.ingress.enabled", "true",
      "gateway.ingress.className", "nginx",
      "gateway.ingress.tls[0].secretName", "vegart-tls",
      "gateway.ingress.tls[0].hosts[0]", "vegart.example.com")),
  MONITORING_STRIMZI_SASL(Map.of(
      "metrics.serviceMonitor.enabled", "true",
      "metrics.prometheusRule.enabled", "true",
      "kafka.topicCreation.mode", "strimzi",
      "kafka.securityProtocol", "SASL_PLAINTEXT",
      "kafka.sasl.mechanism", "SCRAM-SHA-256",
      "kafka.sasl.username", "vegart",
      "kafka.sasl.password", "s3cret",
      "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring"));

  final Map<String, Object> overrides;

  ValuesCase(Map<String, Object> overrides) {
    this.overrides = overrides;
  }

  Rendered render() {
    return Chart.render(name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), overrides);
  }

  Values effectiveValues() {
    return Values.effective(overrides);
  }
}
