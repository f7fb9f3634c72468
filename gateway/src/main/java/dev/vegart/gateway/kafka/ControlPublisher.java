package dev.vegart.gateway.kafka;

import dev.vegart.common.job.JobControl;
import dev.vegart.common.json.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends {@link JobControl} commands to {@code vegart.job-control} (key = job id), which every worker reads.
 * Like {@link JobPublisher}, {@code send} runs on a worker thread and the future completes on the caller's
 * context once the broker acknowledged. Thread-safe.
 */
public final class ControlPublisher implements AutoCloseable {
  private final Vertx vertx;
  private final Producer<String, byte[]> producer;

  public ControlPublisher(Vertx vertx, Properties producerProps) {
    this.vertx = vertx;
    this.producer = new KafkaProducer<>(producerProps);
  }

  public Future<Void> publish(JobControl command) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> acked = Promise.promise();
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(JobControl.TOPIC, command.jobId(), Json.bytes(command));
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
