package dev.vegart.gateway.kafka;

import dev.vegart.common.job.JobRequest;
import dev.vegart.common.json.Json;
import dev.vegart.common.tracing.TraceContext;
import dev.vegart.gateway.observability.GatewayTracing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Hands jobs to Kafka ({@code vegart.jobs}, key = job id) with an idempotent {@code acks=all} producer. The
 * returned future completes only once the broker acknowledged the record. {@code send} may block while it
 * fetches metadata, so it runs on a worker thread, never on the event loop. A job published while handling an
 * HTTP request carries that request's trace in the {@code traceparent} header. Thread-safe.
 */
public final class JobPublisher implements AutoCloseable {
  private final Vertx vertx;
  private final Producer<String, byte[]> producer;
  private final String topic;

  public JobPublisher(Vertx vertx, Producer<String, byte[]> producer, String topic) {
    this.vertx = vertx;
    this.producer = producer;
    this.topic = topic;
  }

  public static JobPublisher create(Vertx vertx, java.util.Properties props, String topic) {
    return new JobPublisher(vertx, new KafkaProducer<>(props), topic);
  }

  public Future<Void> publish(JobRequest job) {
    // The ack arrives on the producer's I/O thread: complete on the caller's context so the rest of the
    // request's chain stays on its event loop.
    Context context = vertx.getOrCreateContext();
    Promise<Void> acked = Promise.promise();
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, job.id(), Json.bytes(job));
    GatewayTracing.current().ifPresent(trace -> record.headers().add(TraceContext.HEADER, trace.headerBytes()));
    return vertx.executeBlocking(() -> producer.send(record, (meta, error) -> context.runOnContext(v -> {
          if (error == null) {
            acked.tryComplete();
          } else {
            acked.tryFail(error);
          }
        })), false)
        .compose(sent -> acked.future());
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
