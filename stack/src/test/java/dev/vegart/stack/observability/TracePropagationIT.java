package dev.vegart.stack.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vegart.common.tracing.TraceContext;
import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A W3C trace id sent with the HTTP request travels through the Kafka record to the worker: the worker's log
 * lines for that job carry it (and the job id) in the MDC, as do the gateway's access line and its lines
 * written while handling the request. Logs say nothing of the prompt by default.
 */
class TracePropagationIT {
  private static final String JOB_RUN = "dev.vegart.worker.runtime.JobRun";
  private static LocalStack stack;
  private static Http http;
  private static String key;
  private static CapturedLogs logs;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    http = new Http(stack.url());
    key = http.createKey(stack.adminToken(), "free");
    logs = CapturedLogs.attach();
  }

  @AfterAll
  static void stop() {
    logs.close();
  }

  @Test
  void traceIdFromTheRequestAppearsInTheWorkersLogLinesForTheJob() {
    TraceContext sent = TraceContext.newRoot();
    String prompt = "a violet hexagon " + UUID.randomUUID();
    HttpResponse<String> submit = http.send("POST", "/v1/jobs", body(prompt),
        Map.of("Content-Type", "application/json", "x-api-key", key, "traceparent", sent.traceparent()));
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    String jobId = new JsonObject(submit.body()).getString("id");
    TraceContext answered = TraceContext.parse(submit.headers().firstValue("traceresponse").orElseThrow()).orElseThrow();
    assertThat(answered.traceId()).isEqualTo(sent.traceId());
    assertThat(answered.spanId()).as("the gateway's own span").isNotEqualTo(sent.spanId());
    assertThat(http.awaitTerminal(jobId, key, Duration.ofSeconds(60)).getString("status")).isEqualTo("succeeded");

    ILoggingEvent workerLine = logs.await(e -> e.getLoggerName().equals(JOB_RUN) && jobId.equals(e.getMDCPropertyMap().get("job_id"))
        && e.getFormattedMessage().contains("succeeded"), Duration.ofSeconds(10), "of the worker for " + jobId);
    assertThat(workerLine.getMDCPropertyMap()).containsEntry("trace_id", sent.traceId()).containsKey("key_id");
    assertThat(workerLine.getMDCPropertyMap().get("key_id")).isNotEqualTo(key).startsWith("key_");
    List<ILoggingEvent> workerLines = logs.events().stream()
        .filter(e -> e.getLoggerName().equals(JOB_RUN) && jobId.equals(e.getMDCPropertyMap().get("job_id"))).toList();
    assertThat(workerLines).hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("trace_id", sent.traceId()));

    ILoggingEvent accessLine = logs.await(e -> e.getLoggerName().equals("vegart.access")
        && jobId.equals(e.getMDCPropertyMap().get("job_id")), Duration.ofSeconds(5), "of the gateway for " + jobId);
    assertThat(accessLine.getMDCPropertyMap()).containsEntry("trace_id", sent.traceId())
        .containsEntry("key_id", workerLine.getMDCPropertyMap().get("key_id"));

    // A line written deep in the request's future chain, on an event loop shared with other requests.
    ILoggingEvent acceptedLine = logs.await(e -> e.getLoggerName().equals("dev.vegart.gateway.jobs.JobService")
        && e.getFormattedMessage().contains(jobId + " accepted"), Duration.ofSeconds(5), "of the gateway accepting " + jobId);
    assertThat(acceptedLine.getMDCPropertyMap()).containsEntry("trace_id", sent.traceId());

    // As JSON: one object per line, the ids as fields.
    JsonObject json = jsonLine(workerLine);
    assertThat(json.getJsonObject("mdc").getString("trace_id")).isEqualTo(sent.traceId());
    assertThat(json.getJsonObject("mdc").getString("job_id")).isEqualTo(jobId);

    assertThat(logs.events()).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(prompt));
  }

  @Test
  void backToBackSubmitsEachHandTheirOwnTraceToTheWorker() {
    // Within the gateway's one-second cache of queue figures: the second submit reuses what the first measured.
    TraceContext first = TraceContext.newRoot();
    TraceContext second = TraceContext.newRoot();
    String firstJob = submitTraced(first);
    String secondJob = submitTraced(second);
    for (var job : Map.of(firstJob, first, secondJob, second).entrySet()) {
      assertThat(http.awaitTerminal(job.getKey(), key, Duration.ofSeconds(60)).getString("status")).isEqualTo("succeeded");
      ILoggingEvent workerLine = logs.await(e -> e.getLoggerName().equals(JOB_RUN)
          && job.getKey().equals(e.getMDCPropertyMap().get("job_id")), Duration.ofSeconds(10), "of the worker for " + job.getKey());
      assertThat(workerLine.getMDCPropertyMap()).as(job.getKey()).containsEntry("trace_id", job.getValue().traceId());
    }
  }

  private static String submitTraced(TraceContext trace) {
    HttpResponse<String> submit = http.send("POST", "/v1/jobs", body("a small teal ring"),
        Map.of("Content-Type", "application/json", "x-api-key", key, "traceparent", trace.traceparent()));
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    return new JsonObject(submit.body()).getString("id");
  }

  @Test
  void aRequestWithoutTraceparentStartsATraceTheWorkerLogs() {
    HttpResponse<String> submit = http.postJson("/v1/jobs", body("a grey disc"), key);
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    String jobId = new JsonObject(submit.body()).getString("id");
    TraceContext started = TraceContext.parse(submit.headers().firstValue("traceresponse").orElseThrow()).orElseThrow();
    assertThat(http.awaitTerminal(jobId, key, Duration.ofSeconds(60)).getString("status")).isEqualTo("succeeded");
    ILoggingEvent workerLine = logs.await(e -> e.getLoggerName().equals(JOB_RUN) && jobId.equals(e.getMDCPropertyMap().get("job_id")),
        Duration.ofSeconds(10), "of the worker for " + jobId);
    assertThat(workerLine.getMDCPropertyMap()).containsEntry("trace_id", started.traceId());
  }

  private static String body(String prompt) {
    return new JsonObject().put("prompt", prompt).put("num_inference_steps", 1).put("width", 512).put("height", 512).encode();
  }

  private static JsonObject jsonLine(ILoggingEvent event) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    encoder.start();
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    return new JsonObject(line);
  }
}
