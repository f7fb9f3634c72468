package dev.vegart.stack;

import dev.vegart.common.config.ConfigException;
import dev.vegart.common.config.Env;
import dev.vegart.common.storage.S3Clients;
import dev.vegart.gateway.Gateway;
import dev.vegart.stack.cli.Cli;
import dev.vegart.gateway.GatewayConfig;
import dev.vegart.gateway.observability.GatewayObservability;
import dev.vegart.worker.runtime.Worker;
import dev.vegart.worker.runtime.WorkerConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The {@code vegart} command line: {@code up}, {@code gateway}, {@code worker}, {@code bench pipeline|scheduler}. */
public final class Main {
  private static final String USAGE = """
      usage: vegart <command>
        up                 run the whole system on this machine (embedded Kafka, PostgreSQL, S3, gateway, CPU worker)
        gateway            run a gateway against external Kafka, PostgreSQL and S3 (configured by VEGART_* variables)
        worker             run a worker against external Kafka and S3
        bench pipeline     time the Java pipeline on a model directory (--model-dir DIR --device cpu|cuda ...)
        bench scheduler    compare batching policies on the GPU cost model
        infra kafka|postgres|s3   one embedded dependency as its own process (state in VEGART_DATA_DIR)
      """ + Cli.USAGE_LINES;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.print(USAGE);
      System.exit(2);
    }
    try {
      switch (args[0]) {
        case "up" -> up();
        case "gateway" -> gateway();
        case "worker" -> worker();
        case "bench" -> bench(Arrays.copyOfRange(args, 1, args.length));
        case "generate", "jobs", "keys" -> System.exit(Cli.run(args[0], Arrays.copyOfRange(args, 1, args.length), Env.system(),
            System.out, System.err, System.console() != null));
        case "infra" -> InfraCommand.run(args.length > 1 ? args[1] : "");
        default -> {
          System.err.print(USAGE);
          System.exit(2);
        }
      }
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void up() throws Exception {
    Env env = Env.system();
    Path dataDir = Path.of(env.string("VEGART_DATA_DIR", "vegart-data"));
    System.out.println("starting vegart (data in " + dataDir.toAbsolutePath() + ") ...");
    LocalStack stack = LocalStack.start(dataDir, env, true);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stack.close();
      } catch (Exception e) {
        System.err.println("error while stopping: " + e);
      }
      stopped.countDown();
    }));
    System.out.printf("""

        vegart is up.
          URL:          %s
          admin token:  %s
          API key:      %s

        Try it:
          curl -s %s/v1/jobs -H 'x-api-key: %s' -H 'Content-Type: application/json' \\
               -d '{"prompt": "a red circle on a blue background", "seed": 42}'
          curl -s %s/v1/jobs/JOB_ID -H 'x-api-key: %s'
        Stop with Ctrl-C.
        %n""", stack.url(), stack.adminToken(), stack.demoKey(), stack.url(), stack.demoKey(), stack.url(), stack.demoKey());
    stopped.await();
  }

  private static void gateway() throws Exception {
    GatewayConfig config = GatewayConfig.from(Env.system());
    Vertx vertx = GatewayObservability.newVertx();
    Gateway gateway = Gateway.start(vertx, config, S3Clients.defaultCredentials())
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    System.out.println("gateway listening on port " + gateway.port());
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      vertx.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  private static void worker() throws Exception {
    WorkerConfig config = WorkerConfig.from(Env.system());
    Worker worker = Worker.start(config, S3Clients.defaultCredentials());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      boolean drained = false;
      try {
        drained = worker.shutdown(config.shutdownGrace());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopped.countDown();
      // SIGTERM would otherwise end the JVM with 143: a worker that drained in time exits 0, as
      // Kubernetes expects of a clean stop; one that did not exits 1 (its unfinished jobs are redelivered).
      Runtime.getRuntime().halt(drained ? 0 : 1);
    }));
    stopped.await();
  }

  private static void bench(String[] args) throws Exception {
    String what = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (what) {
      case "pipeline" -> dev.vegart.worker.bench.PipelineBenchmark.main(rest);
      case "scheduler" -> dev.vegart.worker.scheduling.bench.SchedulerBenchmark.main(rest);
      default -> {
        System.err.print(USAGE);
        System.exit(2);
      }
    }
  }
}
