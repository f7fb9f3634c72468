{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "vegart.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: <release>-<chart> unless the release name already contains the chart name. */}}
{{- define "vegart.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of a component's objects: <fullname>-<component>, truncated so the suffix survives. */}}
{{- define "vegart.componentName" -}}
{{- $ctx := index . 0 }}{{- $component := index . 1 }}
{{- printf "%s-%s" (include "vegart.fullname" $ctx | trunc (int (sub 62 (len $component))) | trimSuffix "-") $component }}
{{- end }}

{{- define "vegart.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "vegart.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vegart
{{- end }}

{{/* Selector labels of one component: (list $ "gateway"). */}}
{{- define "vegart.selectorLabels" -}}
{{- $ctx := index . 0 -}}
app.kubernetes.io/name: {{ include "vegart.name" $ctx }}
app.kubernetes.io/instance: {{ $ctx.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "vegart.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "vegart.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference of one component: (list $ .Values.gateway.image). */}}
{{- define "vegart.image" -}}
{{- $ctx := index . 0 }}{{- $image := index . 1 }}
{{- printf "%s/%s:%s" $ctx.Values.image.registry $image.repository (default $ctx.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* The consumer group of the workers: fixed in the worker code, so not a value. */}}
{{- define "vegart.workerConsumerGroup" -}}vegart-workers{{- end }}

{{/* Secret names: the existing one when given, else the chart's own. */}}
{{- define "vegart.kafkaSecretName" -}}
{{- default (include "vegart.componentName" (list . "kafka")) .Values.kafka.sasl.existingSecret }}
{{- end }}
{{- define "vegart.databaseSecretName" -}}
{{- default (include "vegart.componentName" (list . "database")) .Values.database.existingSecret }}
{{- end }}
{{- define "vegart.s3SecretName" -}}
{{- default (include "vegart.componentName" (list . "s3")) .Values.s3.credentials.existingSecret }}
{{- end }}
{{- define "vegart.gatewaySecretName" -}}
{{- default (include "vegart.componentName" (list . "gateway")) .Values.gateway.existingSecret }}
{{- end }}

{{- define "vegart.kafkaUsesSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{ end }}
{{- end }}
{{- define "vegart.kafkaUsesTls" -}}
{{- if or (eq .Values.kafka.securityProtocol "SSL") (eq .Values.kafka.securityProtocol "SASL_SSL") }}true{{ end }}
{{- end }}

{{/* Seconds the worker has to finish its batch in hand and upload it after SIGTERM. */}}
{{- define "vegart.workerDrainSeconds" -}}
{{- add (int .Values.worker.drain.worstCaseBatchSeconds) (int .Values.worker.drain.uploadSeconds) }}
{{- end }}

{{/* The pod's grace period: the drain time plus a margin, so SIGKILL never cuts a commit. */}}
{{- define "vegart.workerGraceSeconds" -}}
{{- add (include "vegart.workerDrainSeconds" . | int) (int .Values.worker.drain.marginSeconds) }}
{{- end }}

{{/* KEDA lag threshold per worker: the jobs one worker clears in targetBacklogSeconds. */}}
{{- define "vegart.workerLagThreshold" -}}
{{- $perWorker := mulf (float64 .Values.worker.throughput.imagesPerSecondPerGpu) (float64 (max 1 (int .Values.worker.gpu.count))) }}
{{- max 1 (int (ceil (mulf $perWorker (float64 .Values.worker.autoscaling.targetBacklogSeconds)))) }}
{{- end }}

{{/* Environment shared by the gateway and the workers: Kafka and S3. */}}
{{- define "vegart.commonEnv" -}}
- name: VEGART_LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
- name: VEGART_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: VEGART_KAFKA_JOBS_TOPIC
  value: {{ .Values.kafka.topics.jobs | quote }}
- name: VEGART_KAFKA_EVENTS_TOPIC
  value: {{ .Values.kafka.topics.events | quote }}
- name: VEGART_KAFKA_SECURITY_PROTOCOL
  value: {{ .Values.kafka.securityProtocol | quote }}
{{- if include "vegart.kafkaUsesSasl" . }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "vegart.kafkaSecretName" . }}
      key: username
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "vegart.kafkaSecretName" . }}
      key: password
- name: VEGART_KAFKA_SASL_MECHANISM
  value: {{ .Values.kafka.sasl.mechanism | quote }}
- name: VEGART_KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"$(KAFKA_SASL_USERNAME)\" password=\"$(KAFKA_SASL_PASSWORD)\";" (ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq .Values.kafka.sasl.mechanism "PLAIN")) | quote }}
{{- end }}
{{- if include "vegart.kafkaUsesTls" . }}
- name: VEGART_KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/vegart/kafka-tls/truststore.p12
- name: VEGART_KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.tls.existingSecret }}
      key: truststore-password
{{- if .Values.kafka.tls.clientCertificate }}
- name: VEGART_KAFKA_SSL_KEYSTORE_LOCATION
  value: /etc/vegart/kafka-tls/keystore.p12
- name: VEGART_KAFKA_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.tls.existingSecret }}
      key: keystore-password
{{- end }}
{{- end }}
{{- with .Values.s3.endpoint }}
- name: VEGART_S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with .Values.s3.publicEndpoint }}
- name: VEGART_S3_PUBLIC_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: VEGART_S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: VEGART_S3_REGION
  value: {{ .Values.s3.region | quote }}
{{- if ne (toString .Values.s3.pathStyle) "" }}
- name: VEGART_S3_PATH_STYLE
  value: {{ .Values.s3.pathStyle | toString | quote }}
{{- end }}
{{- if .Values.s3.credentials.enabled }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "vegart.s3SecretName" . }}
      key: access-key-id
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "vegart.s3SecretName" . }}
      key: secret-access-key
{{- end }}
- name: AWS_REGION
  value: {{ .Values.s3.region | quote }}
{{- end }}

{{/* Volume and mount of the Kafka truststore, when TLS is on. */}}
{{- define "vegart.kafkaTlsVolume" -}}
{{- if include "vegart.kafkaUsesTls" . }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
{{- end }}
{{- end }}
{{- define "vegart.kafkaTlsMount" -}}
{{- if include "vegart.kafkaUsesTls" . }}
- name: kafka-tls
  mountPath: /etc/vegart/kafka-tls
  readOnly: true
{{- end }}
{{- end }}

{{/* A generated secret value kept across upgrades: (list $ secretName key explicitValue). */}}
{{- define "vegart.stableSecret" -}}
{{- $ctx := index . 0 }}{{- $name := index . 1 }}{{- $key := index . 2 }}{{- $explicit := index . 3 }}
{{- if $explicit }}
{{- $explicit | b64enc }}
{{- else }}
{{- /* Only upgrades can have a secret to keep; installs and `helm template` must not reach for a cluster. */}}
{{- $existing := dict }}
{{- if $ctx.Release.IsUpgrade }}
{{- $existing = lookup "v1" "Secret" $ctx.Release.Namespace $name }}
{{- end }}
{{- if and $existing $existing.data (hasKey $existing.data $key) }}
{{- index $existing.data $key }}
{{- else }}
{{- randAlphaNum 48 | b64enc }}
{{- end }}
{{- end }}
{{- end }}

{{/* Checks that turn a bad combination of values into an install error instead of a broken fleet. */}}
{{- define "vegart.validate" -}}
{{- $protocols := list "PLAINTEXT" "SSL" "SASL_PLAINTEXT" "SASL_SSL" }}
{{- if not (has .Values.kafka.securityProtocol $protocols) }}
{{- fail (printf "kafka.securityProtocol must be one of %s, got %s" (join ", " $protocols) .Values.kafka.securityProtocol) }}
{{- end }}
{{- if and (include "vegart.kafkaUsesSasl" .) (not (has .Values.kafka.sasl.mechanism (list "PLAIN" "SCRAM-SHA-256" "SCRAM-SHA-512"))) }}
{{- fail "kafka.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512" }}
{{- end }}
{{- if and (include "vegart.kafkaUsesSasl" .) (not .Values.kafka.sasl.existingSecret) (not (and .Values.kafka.sasl.username .Values.kafka.sasl.password)) }}
{{- fail "kafka.sasl.username and kafka.sasl.password (or kafka.sasl.existingSecret) are required with a SASL securityProtocol" }}
{{- end }}
{{- if and (include "vegart.kafkaUsesTls" .) (not .Values.kafka.tls.existingSecret) }}
{{- fail "kafka.tls.existingSecret is required with securityProtocol SSL or SASL_SSL" }}
{{- end }}
{{- if and .Values.kafka.tls.clientCertificate (not (include "vegart.kafkaUsesTls" .)) }}
{{- fail "kafka.tls.clientCertificate needs securityProtocol SSL or SASL_SSL" }}
{{- end }}
{{- $verifies := has .Values.database.sslMode (list "verify-ca" "verify-full") }}
{{- if and $verifies (not .Values.database.rootCertSecret) }}
{{- fail (printf "database.rootCertSecret (a Secret with key ca.crt) is required with database.sslMode %s" .Values.database.sslMode) }}
{{- end }}
{{- if and .Values.database.rootCertSecret (not $verifies) }}
{{- fail "database.rootCertSecret is only used with database.sslMode verify-ca or verify-full" }}
{{- end }}
{{- if and .Values.worker.autoscaling.enabled (lt (int .Values.kafka.topicCreation.jobsPartitions) (int .Values.worker.autoscaling.maxReplicas)) }}
{{- fail (printf "kafka.topicCreation.jobsPartitions (%d) must be at least worker.autoscaling.maxReplicas (%d): a worker without a partition has nothing to do" (int .Values.kafka.topicCreation.jobsPartitions) (int .Values.worker.autoscaling.maxReplicas)) }}
{{- end }}
{{- if and .Values.worker.autoscaling.enabled (gt (int .Values.worker.autoscaling.minReplicas) (int .Values.worker.autoscaling.maxReplicas)) }}
{{- fail "worker.autoscaling.minReplicas must not exceed worker.autoscaling.maxReplicas" }}
{{- end }}
{{- if not (has .Values.worker.model.source (list "s3" "volume")) }}
{{- fail "worker.model.source must be s3 or volume" }}
{{- end }}
{{- if and (eq .Values.worker.model.source "volume") (not .Values.worker.model.volume.existingClaim) }}
{{- fail "worker.model.volume.existingClaim is required when worker.model.source is volume" }}
{{- end }}
{{- if not (has .Values.kafka.topicCreation.mode (list "job" "strimzi" "none")) }}
{{- fail "kafka.topicCreation.mode must be job, strimzi or none" }}
{{- end }}
{{- if le (int .Values.gateway.terminationGracePeriodSeconds) (int .Values.gateway.preStopSleepSeconds) }}
{{- fail "gateway.terminationGracePeriodSeconds must exceed gateway.preStopSleepSeconds" }}
{{- end }}
{{- end }}
