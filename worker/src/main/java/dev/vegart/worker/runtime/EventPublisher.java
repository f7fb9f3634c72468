package dev.vegart.worker.runtime;

import dev.vegart.common.job.JobEvent;
import dev.vegart.common.json.Json;
import dev.vegart.common.tracing.TraceContext;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes job events to {@code vegart.job-events} (key = job id) with an idempotent {@code acks=all} producer. Thread-safe. */
final class EventPublisher implements AutoCloseable {
  private final Producer<String, byte[]> producer;
  private final String topic;

  EventPublisher(Properties props, String topic) {
    this.producer = new KafkaProducer<>(props);
    this.topic = topic;
  }

  /** Completes once the broker acknowledged the event. */
  CompletableFuture<Void> publish(JobEvent event) {
    return publish(event, null);
  }

  /** As {@link #publish(JobEvent)}, with the job's trace in the {@code traceparent} header (when not null). */
  CompletableFuture<Void> publish(JobEvent event, TraceContext trace) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.jobId(), Json.bytes(event));
    if (trace != null) {
      record.headers().add(TraceContext.HEADER, trace.headerBytes());
    }
    return send(record);
  }

  /** Copies a record the worker cannot read to the dead-letter topic, with the reason in a header. */
  CompletableFuture<Void> deadLetter(String topic, String key, byte[] value, String reason) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    record.headers().add("vegart-error", reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return send(record);
  }

  /** Completes once the broker acknowledged {@code record}; a send that throws completes exceptionally. */
  private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      producer.send(record, (meta, error) -> {
        if (error == null) {
          acked.complete(null);
        } else {
          acked.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      acked.completeExceptionally(e);
    }
    return acked;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
