package dev.vegart.worker.runtime;

import dev.vegart.common.job.JobEvent;
import dev.vegart.common.json.Json;
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
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, event.jobId(), Json.bytes(event)), (meta, error) -> {
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
