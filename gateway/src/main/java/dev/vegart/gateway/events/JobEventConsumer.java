package dev.vegart.gateway.events;

import dev.vegart.common.json.MalformedMessageException;
import dev.vegart.common.tracing.LogFields;
import dev.vegart.common.tracing.TraceContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code vegart.job-events} in the {@code vegart-gateway} group on its own thread and applies each
 * event to PostgreSQL before committing its offset. When the database is unreachable it rewinds, pauses
 * the partitions for a back-off and tries again: no event is skipped. Malformed records are logged and
 * skipped (they can never succeed). Log lines about an event carry its job id and trace id (the
 * {@code traceparent} header the worker set); {@code changed} hears of every event that changed a job.
 */
public final class JobEventConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobEventConsumer.class);
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration BACKOFF = Duration.ofSeconds(2);

  private final KafkaConsumer<String, byte[]> consumer;
  private final JobEventApplier applier;
  private final java.util.function.Consumer<byte[]> changed;
  private final String topic;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;
  private final Clock clock = Clock.systemUTC();
  private long pausedUntilMs;

  public JobEventConsumer(Properties props, String topic, JobEventApplier applier) {
    this(props, topic, applier, value -> {});
  }

  public JobEventConsumer(Properties props, String topic, JobEventApplier applier, java.util.function.Consumer<byte[]> changed) {
    this.consumer = new KafkaConsumer<>(props);
    this.applier = applier;
    this.changed = changed;
    this.topic = topic;
    this.thread = new Thread(this::run, "vegart-job-events");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    });
    try {
      while (!closed.get()) {
        try {
          resumeAfterBackoff();
          ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
          for (TopicPartition partition : records.partitions()) {
            applyPartition(partition, records.records(partition));
          }
        } catch (RetriableException e) {
          // Kafka is away: nothing applied is lost (offsets move only after PostgreSQL has the event).
          LOG.warn("Kafka unavailable, retrying: {}", e.toString());
        }
      }
    } catch (WakeupException e) {
      if (!closed.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.error("job event consumer stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void applyPartition(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      var header = record.headers().lastHeader(TraceContext.HEADER);
      TraceContext trace = TraceContext.fromHeaderBytes(header == null ? null : header.value()).orElse(null);
      try (LogFields.Scope fields = LogFields.forJob(record.key(), null, trace)) {
        if (applier.apply(record.value()).toCompletionStage().toCompletableFuture()
            .get(APPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          changed.accept(record.value());
        }
      } catch (MalformedMessageException e) {
        LOG.warn("skipping malformed job event at {}@{}: {}", partition, record.offset(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed.set(true);
        return;
      } catch (Exception e) {
        LOG.warn("could not apply job event at {}@{}, retrying in {}: {}", partition, record.offset(), BACKOFF, e.toString());
        commit(done);
        consumer.seek(partition, record.offset());
        consumer.pause(List.of(partition));
        pausedUntilMs = clock.millis() + BACKOFF.toMillis();
        return;
      }
      done.put(partition, new OffsetAndMetadata(record.offset() + 1));
    }
    commit(done);
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(5));
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // Rebalanced away (or a rebalance is under way, e.g. another gateway joined): the owner after it
        // re-applies these events, which changes nothing (status guards). The next poll joins the rebalance.
        LOG.warn("offset commit refused after a rebalance: {}", e.getMessage());
      }
    }
  }

  private void resumeAfterBackoff() {
    if (pausedUntilMs != 0 && clock.millis() >= pausedUntilMs) {
      consumer.resume(consumer.paused());
      pausedUntilMs = 0;
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
