package dev.vegart.stack.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vegart.common.tracing.TraceContext;
import dev.vegart.gateway.Gateway;
import dev.vegart.gateway.GatewayConfig;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import dev.vegart.stack.observability.OtlpCollector.Export;
import dev.vegart.worker.runtime.Worker;
import dev.vegart.worker.runtime.WorkerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code VEGART_OTEL_EXPORTER=otlp}, a gateway and a worker (against the shared stack's Kafka, PostgreSQL
 * and S3, on topics of their own so the job runs on this worker) export their spans to a real OTLP/HTTP
 * receiver on loopback: the submit request's server span under the client's {@code traceparent}, the worker's
 * job-run span under the gateway's span, and the webhook attempt's client span, all in the client's trace and
 * with the ids that were propagated. The shared gateway's webhook sender is paused meanwhile, so this gateway
 * sends the webhook.
 */
class OtelExportIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static LocalStack stack;
  private static OtlpCollector collector;
  private static HttpServer hooks;
  private static final List<String> hookTraceparents = new CopyOnWriteArrayList<>();
  private static Vertx vertx;
  private static Gateway gateway;
  private static Worker worker;

  @BeforeAll
  static void start() throws Exception {
    stack = SharedStack.get();
    collector = new OtlpCollector();
    hooks = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    hooks.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      hookTraceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    hooks.start();
    var env = stack.env().with(Map.of(
        "VEGART_OTEL_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
        "OTEL_BSP_SCHEDULE_DELAY", "200",
        "VEGART_HTTP_PORT", "0",
        "VEGART_WORKER_HTTP_PORT", "0",
        "VEGART_WORKER_ID", "otel-it-worker",
        "VEGART_KAFKA_JOBS_TOPIC", "vegart.jobs.otel-it",
        "VEGART_KAFKA_EVENTS_TOPIC", "vegart.job-events.otel-it"));
    vertx = Vertx.vertx();
    gateway = Gateway.start(vertx, GatewayConfig.from(env), stack.s3Credentials())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    worker = Worker.start(WorkerConfig.from(env), stack.s3Credentials());
    stack.gateway().webhookDelivery().pause();
  }

  @AfterAll
  static void stop() throws Exception {
    stack.gateway().webhookDelivery().resume();
    if (worker != null) {
      worker.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    hooks.stop(0);
    collector.close();
  }

  @Test
  void gatewayAndWorkerExportSpansOfTheClientsTraceWithThePropagatedIds() {
    Http http = new Http("http://127.0.0.1:" + gateway.port());
    String key = http.createKey(stack.adminToken(), "unlimited");
    TraceContext sent = TraceContext.newRoot();
    String body = new JsonObject().put("prompt", "an exported teal square").put("num_inference_steps", 1).put("width", 512)
        .put("height", 512).put("webhook_url", "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook").encode();
    HttpResponse<String> submit = http.send("POST", "/v1/jobs", body,
        Map.of("Content-Type", "application/json", "x-api-key", key, "traceparent", sent.traceparent()));
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    String jobId = new JsonObject(submit.body()).getString("id");
    TraceContext gatewaySpan = TraceContext.parse(submit.headers().firstValue("traceresponse").orElseThrow()).orElseThrow();
    assertThat(http.awaitTerminal(jobId, key, WAIT).getString("status")).isEqualTo("succeeded");
    TraceContext hookSpan = TraceContext.parse(awaitHook()).orElseThrow();
    assertThat(hookSpan.traceId()).isEqualTo(sent.traceId());

    Export submitExport = collector.await(e -> e.hasText("vegart-gateway") && e.hasId(gatewaySpan.spanId()),
        WAIT, "the gateway's submit span " + gatewaySpan.spanId());
    assertThat(submitExport.path()).isEqualTo("/v1/traces");
    assertThat(submitExport.contentType()).isEqualTo("application/x-protobuf");
    assertThat(submitExport.hasId(sent.traceId())).as("the client's trace id").isTrue();
    assertThat(submitExport.hasId(sent.spanId())).as("the client's span id, the submit span's parent").isTrue();
    assertThat(submitExport.hasText(jobId)).as("the job id attribute").isTrue();

    collector.await(e -> e.hasText("vegart-worker") && e.hasId(sent.traceId()) && e.hasId(gatewaySpan.spanId())
        && e.hasText(jobId), WAIT, "the worker's job run span under " + gatewaySpan.spanId());
    collector.await(e -> e.hasText("vegart-gateway") && e.hasId(sent.traceId()) && e.hasId(hookSpan.spanId())
        && e.hasId(gatewaySpan.spanId()), WAIT, "the webhook attempt span " + hookSpan.spanId());
    assertThat(collector.exports()).noneSatisfy(e -> assertThat(e.hasText("an exported teal square")).isTrue());
  }

  private static String awaitHook() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (hookTraceparents.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no webhook request within " + WAIT);
      }
      LockSupport.parkNanos(50_000_000L);
    }
    return hookTraceparents.get(0);
  }
}
