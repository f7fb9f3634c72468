package dev.vegart.worker.runtime;

import dev.vegart.common.job.Decoder;
import dev.vegart.common.job.JobEvent;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.storage.S3Clients;
import dev.vegart.common.tracing.Otel;
import dev.vegart.common.tracing.TracedSpan;
import dev.vegart.worker.imageio.ImageEncoder;
import dev.vegart.worker.observability.GpuMemoryGauges;
import dev.vegart.worker.observability.WorkerMetrics;
import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.pipeline.ModelInfo;
import dev.vegart.worker.pipeline.Pipeline;
import dev.vegart.worker.pipeline.Pipelines;
import dev.vegart.worker.scheduling.Admission;
import dev.vegart.worker.scheduling.DeviceScheduler;
import dev.vegart.worker.scheduling.DeviceSchedulers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker's composition root: loads and warms the model (refusing to start on a broken model
 * directory, before taking any job), then consumes jobs, runs them through the device scheduler, stores
 * images in S3 and reports events. {@link #shutdown} drains: stop fetching, finish what is in hand
 * within the grace period, commit, close.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final WorkerConfig config;
  private final Pipeline pipeline;
  private final DeviceScheduler scheduler;
  private final EventPublisher events;
  private final S3Client s3;
  private final ExecutorService uploads;
  private final JobConsumer consumer;
  private final Vertx vertx;
  private final HttpServer http;
  private final PrometheusMeterRegistry registry;
  private final Otel otel;

  private Worker(WorkerConfig config, Pipeline pipeline, DeviceScheduler scheduler, EventPublisher events, S3Client s3,
      ExecutorService uploads, JobConsumer consumer, Vertx vertx, HttpServer http, PrometheusMeterRegistry registry, Otel otel) {
    this.config = config;
    this.pipeline = pipeline;
    this.scheduler = scheduler;
    this.events = events;
    this.s3 = s3;
    this.uploads = uploads;
    this.consumer = consumer;
    this.vertx = vertx;
    this.http = http;
    this.registry = registry;
    this.otel = otel;
  }

  public static Worker start(WorkerConfig config, AwsCredentialsProvider credentials) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Ready only once the model is loaded and warmed up (the consumer starts after that) and consumes.
    AtomicReference<JobConsumer> consuming = new AtomicReference<>();
    BooleanSupplier ready = () -> consuming.get() != null && consuming.get().running();
    WorkerMetrics metrics = new WorkerMetrics(registry, ready);
    GpuMemoryGauges.register(registry, config.device());
    // /health/live and /metrics answer while the model loads: loading is alive, not ready.
    Vertx vertx = Vertx.vertx();
    HttpServer http;
    try {
      http = WorkerHttp.start(vertx, config.httpPort(), registry, ready)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return start(config, credentials, registry, metrics, vertx, http, consuming);
    } catch (Exception | Error e) {
      vertx.close();
      throw e;
    }
  }

  private static Worker start(WorkerConfig config, AwsCredentialsProvider credentials, PrometheusMeterRegistry registry,
      WorkerMetrics metrics, Vertx vertx, HttpServer http, AtomicReference<JobConsumer> consuming) throws Exception {
    Pipeline pipeline = Pipelines.load(config.modelDir(), config.device());
    LOG.info("model {} loaded from {} on {}", pipeline.info().name(), config.modelDir(), config.device());
    warmUp(pipeline);
    DeviceScheduler scheduler = CancelListener.attach(
        DeviceSchedulers.forPipeline(config.scheduler(), pipeline, registry), config.kafka(), config.workerId());
    scheduler.start();
    EventPublisher events = new EventPublisher(config.kafka().producer(config.workerId()), config.kafka().eventsTopic());
    S3Client s3 = S3Clients.client(config.s3(), credentials);
    ExecutorService uploads = Executors.newFixedThreadPool(config.uploadThreads(), r -> {
      Thread t = new Thread(r, "vegart-upload");
      t.setDaemon(true);
      return t;
    });
    Clock clock = Clock.systemUTC();
    ResultStore results = new ResultStore(s3, config.s3().bucket(), new ImageEncoder(), uploads, config.uploadRetryBudget(), clock,
        metrics);
    Otel otel = Otel.create(config.otel());
    JobConsumer consumer = new JobConsumer(config.kafka().consumer(config.workerId(), "vegart-workers"),
        config.kafka().jobsTopic(), scheduler, new Admitter(config.workerId(), pipeline.info(), events, results, clock,
            metrics),
        events, clock, metrics, otel);
    consumer.start();
    consuming.set(consumer);
    LOG.info("worker {} ready: metrics and health on port {}", config.workerId(), http.actualPort());
    return new Worker(config, pipeline, scheduler, events, s3, uploads, consumer, vertx, http, registry, otel);
  }

  /** Runs one small image through every stage, so the first job does not pay for lazy initialisation. */
  private static void warmUp(Pipeline pipeline) {
    ModelInfo.Size size = pipeline.info().sizes().get(0);
    long started = System.nanoTime();
    pipeline.runToCompletion(List.of(new Generation("warm-up", "warm up", 0, 1, size.width(), size.height(), Decoder.FULL)));
    LOG.info("warm-up at {}x{} took {} ms", size.width(), size.height(), (System.nanoTime() - started) / 1_000_000);
  }

  public int httpPort() {
    return http.actualPort();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Graceful stop: no more fetching, finish the admitted work and store its results within {@code grace},
   * commit, close. Work not finished in time stays uncommitted and is redelivered to another worker.
   *
   * @return true when everything in hand finished in time
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    consumer.stopFetching();
    boolean drained = scheduler.drain(grace);
    // Results of finished jobs may still be uploading: wait for them to become durable.
    while (consumer.inHand() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(20_000_000L);
    }
    boolean complete = drained && consumer.inHand() == 0;
    close();
    LOG.info("worker {} stopped ({})", config.workerId(), complete ? "drained" : "grace period exceeded, unfinished jobs will be redelivered");
    return complete;
  }

  @Override
  public void close() {
    consumer.close();
    scheduler.close();
    uploads.shutdown();
    events.close();
    s3.close();
    vertx.close();
    pipeline.close();
    otel.close();
  }

  /** Builds admissions from job messages, checking them against the loaded model first. */
  private record Admitter(String workerId, ModelInfo model, EventPublisher events, ResultStore results, Clock clock,
      WorkerMetrics metrics) implements JobConsumer.Admitter {

    @Override
    public Admission admit(JobRequest job, TracedSpan span, Runnable onDurable) {
      if (!model.sizes().contains(new ModelInfo.Size(job.width(), job.height()))) {
        throw new IllegalArgumentException("size " + job.width() + "x" + job.height() + " is not supported by model " + model.name());
      }
      if (job.steps() < 1 || job.steps() > 8) {
        throw new IllegalArgumentException("steps must be 1..8, got " + job.steps());
      }
      if (job.decoder() == Decoder.FAST && !model.hasFastDecoder()) {
        throw new IllegalArgumentException("model " + model.name() + " has no fast decoder");
      }
      List<Generation> generations = new ArrayList<>();
      for (int i = 0; i < job.numImages(); i++) {
        generations.add(new Generation(job.id() + "#" + i, job.prompt(), job.seed() + i, job.steps(), job.width(),
            job.height(), job.decoder()));
      }
      return new Admission(job.id(), generations, job.deadline(), new JobRun(job, workerId, events, results, clock, onDurable,
          span, metrics));
    }

    @Override
    public JobEvent reject(String jobId, String code, String message) {
      return new JobEvent.Failed(jobId, workerId, clock.instant(), code, message);
    }
  }
}
