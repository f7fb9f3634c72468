package dev.vegart.gateway.live;

import dev.vegart.common.config.KafkaSettings;
import dev.vegart.common.job.JobEvent;
import dev.vegart.common.json.Json;
import dev.vegart.common.json.MalformedMessageException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's own view of {@code vegart.job-events}, for live listeners. Every gateway reads the whole topic
 * from its end, without a consumer group (no offsets, no rebalances, nothing left behind in Kafka when it stops),
 * on one thread, and hands each event of a job somebody here listens to to that listener's context. The
 * {@code vegart-gateway} group, which records events in PostgreSQL, gives each event to one gateway only; this
 * reader is why step progress reaches whichever gateway holds a client's event stream. See DESIGN.md.
 * Thread-safe.
 */
public final class LiveEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
  /** How often the topic's partitions are looked up again (partitions may be added while gateways run). */
  private static final Duration PARTITION_REFRESH = Duration.ofSeconds(60);

  private record Listener(Context context, Handler<JobEvent> handler) {}

  /** Stops the deliveries of one {@link #subscribe}; idempotent. */
  public interface Subscription {
    void cancel();
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Map<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  /** A reader of {@code kafka}'s events topic, identified to the brokers as {@code clientId}. */
  public static LiveEvents create(KafkaSettings kafka, String clientId) {
    return new LiveEvents(kafka.consumer(clientId, "unused"), kafka.eventsTopic());
  }

  /** @param consumerProps the gateway's consumer properties; the group is dropped and reading starts at the end */
  LiveEvents(Properties consumerProps, String topic) {
    this.consumer = new KafkaConsumer<>(groupless(consumerProps));
    this.topic = topic;
    this.thread = new Thread(this::run, "vegart-live-events");
    this.thread.setDaemon(true);
  }

  static Properties groupless(Properties consumerProps) {
    Properties p = new Properties();
    p.putAll(consumerProps);
    p.remove("group.id");
    p.remove("group.instance.id");
    p.remove("partition.assignment.strategy");
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "latest");
    return p;
  }

  public void start() {
    thread.start();
  }

  /**
   * Delivers every event of {@code jobId} read from now on to {@code handler}, on the calling context (an event
   * loop: handlers must not block). Events read before the call are not replayed.
   */
  public Subscription subscribe(Vertx vertx, String jobId, Handler<JobEvent> handler) {
    Listener listener = new Listener(vertx.getOrCreateContext(), handler);
    listeners.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(listener);
    return () -> listeners.computeIfPresent(jobId, (id, set) -> {
      set.remove(listener);
      return set.isEmpty() ? null : set;
    });
  }

  /** Jobs with at least one listener on this gateway. */
  public int listenedJobs() {
    return listeners.size();
  }

  private void run() {
    long nextRefresh = 0;
    try {
      while (!closed.get()) {
        if (System.nanoTime() - nextRefresh >= 0) {
          assignAll();
          nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          deliver(record);
        }
      }
    } catch (WakeupException e) {
      if (!closed.get()) {
        LOG.error("live job event reader woken up unexpectedly; live updates stop (clients fall back to polling)", e);
      }
    } catch (RuntimeException e) {
      LOG.error("live job event reader stopped; live updates stop (clients fall back to polling)", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void assignAll() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
    if (infos == null || infos.isEmpty()) {
      return;
    }
    List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    if (!consumer.assignment().equals(Set.copyOf(partitions))) {
      // Partitions without a position start at their end (auto.offset.reset=latest): only new events are live.
      consumer.assign(partitions);
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    Set<Listener> targets = record.key() == null ? null : listeners.get(record.key());
    if (targets == null || targets.isEmpty()) {
      return; // nobody here listens to this job: not even parsed
    }
    JobEvent event;
    try {
      event = Json.read(record.value(), JobEvent.class);
    } catch (MalformedMessageException e) {
      LOG.debug("skipping unreadable job event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
      return;
    }
    for (Listener l : targets) {
      l.context().runOnContext(v -> l.handler().handle(event));
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (!thread.isAlive()) {
        consumer.close(Duration.ZERO);
        return;
      }
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
