package dev.vegart.worker.runtime;

import dev.vegart.common.job.JobEvent;
import dev.vegart.common.job.JobRequest;
import dev.vegart.common.json.Json;
import dev.vegart.common.json.MalformedMessageException;
import dev.vegart.common.tracing.LogFields;
import dev.vegart.common.tracing.Otel;
import dev.vegart.common.tracing.TraceContext;
import dev.vegart.common.tracing.TracedSpan;
import dev.vegart.worker.observability.WorkerMetrics;
import dev.vegart.worker.scheduling.Admission;
import dev.vegart.worker.scheduling.DeviceScheduler;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * The worker's Kafka consumer, on its own thread. It fetches only while the device scheduler has free
 * slots (partitions are paused otherwise, so a busy worker does not hoard jobs other workers could run),
 * turns records into {@link Admission}s, and commits offsets in order once each job's terminal event is
 * acknowledged (see {@link OffsetTracker}). On {@link #stopFetching()} it pauses everything and keeps
 * committing what finishes until {@link #close()}.
 */
final class JobConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);

  /**
   * Turns a job into an admission; {@code onDurable} must run once its outcome is durable. {@code span} is the
   * job run's span (its context is the job's trace on this worker): the admission ends it with the run.
   */
  interface Admitter {
    Admission admit(JobRequest job, TracedSpan span, Runnable onDurable);

    /** A job the worker refuses without running it (bad size, poison record): its terminal event. */
    JobEvent reject(String jobId, String code, String message);
  }

  private record Done(TopicPartition partition, long offset) {}

  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final DeviceScheduler scheduler;
  private final Admitter admitter;
  private final EventPublisher events;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final Otel otel;
  private final OffsetTracker offsets = new OffsetTracker();
  private final Deliveries deliveries = new Deliveries(100_000);
  private final ConcurrentLinkedQueue<Done> completions = new ConcurrentLinkedQueue<>();
  private final Deque<ConsumerRecord<String, byte[]>> waiting = new ArrayDeque<>();
  private final AtomicBoolean fetching = new AtomicBoolean(true);
  private final AtomicInteger inHand = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch exited = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean assigned;

  JobConsumer(Properties props, String topic, DeviceScheduler scheduler, Admitter admitter, EventPublisher events, Clock clock,
      WorkerMetrics metrics, Otel otel) {
    props.put("max.poll.records", "16");
    this.consumer = new KafkaConsumer<>(props);
    this.topic = topic;
    this.scheduler = scheduler;
    this.admitter = admitter;
    this.events = events;
    this.clock = clock;
    this.metrics = metrics;
    this.otel = otel;
    this.thread = new Thread(this::run, "vegart-job-consumer");
  }

  void start() {
    thread.start();
  }

  boolean running() {
    return thread.isAlive() && !closed.get();
  }

  /** Whether the group gave this worker partitions at least once. */
  boolean assigned() {
    return assigned;
  }

  /** Jobs handed to the scheduler whose outcome is not durable yet. */
  int inHand() {
    return inHand.get();
  }

  /** Stops taking jobs; what is in hand keeps running and its offsets keep being committed. */
  void stopFetching() {
    fetching.set(false);
  }

  private void run() {
    consumer.subscribe(List.of(topic), new Rebalance());
    try {
      while (!closed.get()) {
        try {
          commitFinished();
          offerWaiting();
          flowControl();
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            offsets.started(new TopicPartition(record.topic(), record.partition()), record.offset());
            waiting.add(record);
          }
          recordLag();
          offerWaiting();
        } catch (RetriableException e) {
          // The broker is away (restart, failover): keep the work in hand, keep trying; commits catch up later.
          LOG.warn("Kafka unavailable, retrying: {}", e.toString());
        }
      }
      commitFinished();
    } catch (WakeupException e) {
      commitFinished();
    } catch (RuntimeException e) {
      LOG.error("job consumer stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
      exited.countDown();
    }
  }

  private void offerWaiting() {
    while (fetching.get() && !waiting.isEmpty()) {
      ConsumerRecord<String, byte[]> record = waiting.peek();
      if (!admit(record)) {
        return;
      }
      waiting.poll();
    }
  }

  /** False when the scheduler is full: the record stays first in line. */
  private boolean admit(ConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    Runnable onDurable = () -> completions.add(new Done(partition, record.offset()));
    JobRequest job;
    try {
      job = Json.read(record.value(), JobRequest.class);
    } catch (MalformedMessageException e) {
      LOG.warn("poison record at {}@{} (key {}): {}", partition, record.offset(), record.key(), e.getMessage());
      rejectPoison(record, onDurable, e.getMessage());
      return true;
    }
    // The job run's span continues the gateway's; a record without a traceparent (published by the outbox relay,
    // or by an older gateway) starts a new trace.
    TracedSpan span = otel.span("job run", SpanKind.CONSUMER, TraceContext.fromHeaderBytes(traceHeader(record)).orElse(null))
        .attribute("vegart.job_id", job.id()).attribute("vegart.key_id", job.keyId())
        .attribute("vegart.num_images", job.numImages()).attribute("vegart.steps", job.steps());
    try (LogFields.Scope fields = LogFields.forJob(job.id(), job.keyId(), span.context())) {
      return admit(job, span, onDurable);
    }
  }

  private boolean admit(JobRequest job, TracedSpan span, Runnable onDurable) {
    if (deliveries.duplicate(job.id(), onDurable)) {
      LOG.info("job {} delivered again while this worker holds it or just finished it: not run twice", job.id());
      return true;
    }
    TraceContext trace = span.context();
    if (job.deadline() != null && clock.instant().isAfter(job.deadline())) {
      span.attribute("vegart.job_status", "expired").end(null);
      events.publish(new JobEvent.Expired(job.id(), "", clock.instant()), trace).thenRun(onDurable);
      return true;
    }
    Admission admission;
    try {
      admission = admitter.admit(job, span, () -> {
        inHand.decrementAndGet();
        onDurable.run();
        deliveries.finished(job.id());
      });
    } catch (IllegalArgumentException e) {
      span.attribute("vegart.job_status", "failed").end("invalid_job");
      events.publish(admitter.reject(job.id(), "invalid_job", e.getMessage()), trace).thenRun(onDurable);
      return true;
    }
    inHand.incrementAndGet();
    deliveries.hold(job.id());
    if (!scheduler.offer(admission)) {
      deliveries.release(job.id());
      // The record is offered again later under a new span; this one is never ended, so never exported.
      inHand.decrementAndGet();
      return false;
    }
    return true;
  }

  private static byte[] traceHeader(ConsumerRecord<String, byte[]> record) {
    var header = record.headers().lastHeader(TraceContext.HEADER);
    return header == null ? null : header.value();
  }

  /** Sums the lag the consumer knows of its partitions (unknown until a partition was fetched). */
  private void recordLag() {
    long lag = 0;
    for (TopicPartition partition : consumer.assignment()) {
      lag += consumer.currentLag(partition).orElse(0);
    }
    metrics.consumerLag(lag);
  }

  /**
   * A record that cannot be read will never be readable: it goes to {@code <jobs topic>.dlq} at once (one
   * attempt; retrying cannot help), its job fails with the reason, and the partition keeps flowing.
   */
  private void rejectPoison(ConsumerRecord<String, byte[]> record, Runnable onDurable, String reason) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    events.deadLetter(topic + ".dlq", record.key(), value, reason)
        .thenCompose(v -> record.key() == null
            ? java.util.concurrent.CompletableFuture.<Void>completedFuture(null)
            : events.publish(admitter.reject(record.key(), "invalid_job", "the job message could not be read: " + reason)))
        .whenComplete((v, e) -> {
          if (e == null) {
            onDurable.run();
          } else {
            LOG.error("poison record at {}@{} could not be dead-lettered, it will be redelivered: {}",
                record.partition(), record.offset(), e.toString());
          }
        });
  }

  private void flowControl() {
    var assignment = consumer.assignment();
    boolean open = fetching.get() && waiting.isEmpty() && scheduler.freeSlots() > 0;
    if (open) {
      consumer.resume(consumer.paused());
    } else {
      consumer.pause(assignment);
    }
  }

  private void commitFinished() {
    for (Done d; (d = completions.poll()) != null; ) {
      offsets.done(d.partition(), d.offset());
    }
    Map<TopicPartition, OffsetAndMetadata> ready = offsets.committable();
    if (!ready.isEmpty()) {
      ready.keySet().retainAll(consumer.assignment());
      try {
        consumer.commitSync(ready, COMMIT_TIMEOUT);
        offsets.markCommitted(ready);
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // The partitions are moving: committed after the rebalance if they stay, else the new owner redelivers
        // what was not committed.
        LOG.warn("offset commit refused during a rebalance: {}", e.getMessage());
      }
    }
  }

  /** Waits for the consumer thread to commit and exit. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        if (!exited.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
          consumer.wakeup();
          exited.await(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      commitFinished();
      waiting.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      offsets.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = true;
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      waiting.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      offsets.forget(partitions);
    }
  }
}
