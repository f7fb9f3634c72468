package dev.vegart.worker.runtime;

import dev.vegart.common.config.Env;
import dev.vegart.common.config.KafkaSettings;
import dev.vegart.common.config.S3Settings;
import dev.vegart.common.tracing.OtelSettings;
import dev.vegart.worker.scheduling.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a worker is configured with, read once from the environment.
 *
 * @param modelDir {@code VEGART_MODEL_DIR}: the model directory (manifest.json and TorchScript files)
 * @param device {@code VEGART_DEVICE}: cpu, cuda or cuda:N; default cpu
 * @param workerId {@code VEGART_WORKER_ID}: a name for logs and events; default {@code worker-<host>-<pid>}
 * @param httpPort {@code VEGART_WORKER_HTTP_PORT}: /metrics and /health; default 9091, 0 for any free port
 * @param shutdownGrace {@code VEGART_SHUTDOWN_GRACE}: time to finish work in hand on SIGTERM; default 30s
 * @param uploadThreads {@code VEGART_UPLOAD_THREADS}: encoding and upload threads; default 4
 * @param uploadRetryBudget {@code VEGART_UPLOAD_RETRY_BUDGET}: how long an upload is retried before the job fails; default 60s
 * @param otel {@code VEGART_OTEL_EXPORTER}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}: span export, off by default (see {@link OtelSettings})
 */
public record WorkerConfig(
    Path modelDir,
    String device,
    String workerId,
    int httpPort,
    Duration shutdownGrace,
    int uploadThreads,
    Duration uploadRetryBudget,
    KafkaSettings kafka,
    S3Settings s3,
    SchedulerConfig scheduler,
    OtelSettings otel) {

  public static WorkerConfig from(Env env) {
    return new WorkerConfig(
        Path.of(env.string("VEGART_MODEL_DIR", "models/tiny-random")),
        env.string("VEGART_DEVICE", "cpu"),
        env.string("VEGART_WORKER_ID", "worker-" + host() + "-" + ProcessHandle.current().pid()),
        env.integer("VEGART_WORKER_HTTP_PORT", 9091, 0, 65535),
        env.duration("VEGART_SHUTDOWN_GRACE", Duration.ofSeconds(30)),
        env.integer("VEGART_UPLOAD_THREADS", 4, 1, 256),
        env.duration("VEGART_UPLOAD_RETRY_BUDGET", Duration.ofSeconds(60)),
        KafkaSettings.from(env),
        S3Settings.from(env),
        SchedulerConfig.fromEnv(env),
        OtelSettings.from(env, "vegart-worker"));
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
