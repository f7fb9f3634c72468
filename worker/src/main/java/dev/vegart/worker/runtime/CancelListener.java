package dev.vegart.worker.runtime;

import dev.vegart.common.config.KafkaSettings;
import dev.vegart.common.job.JobControl;
import dev.vegart.common.json.Json;
import dev.vegart.common.json.MalformedMessageException;
import dev.vegart.worker.scheduling.Admission;
import dev.vegart.worker.scheduling.DeviceScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeviceScheduler} decorator that obeys cancel commands from {@code vegart.job-control}. Every worker
 * reads every partition (manual assignment, no consumer group, starting {@link #LOOKBACK} back), so the worker
 * running a job stops it at the next step boundary, and a job canceled while still in Kafka is dropped when it
 * is offered ({@code canceled(false)}) instead of run. Recently canceled ids are remembered (bounded).
 *
 * <p>Owns one consumer thread; {@link #start()} and {@link #close()} also start and close the delegate.
 * Thread-safe like the scheduler it wraps.
 */
public final class CancelListener implements DeviceScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(CancelListener.class);
  static final Duration LOOKBACK = Duration.ofHours(1);
  private static final int REMEMBERED = 100_000;
  private static final Duration TOPIC_RECHECK = Duration.ofSeconds(30);

  private final DeviceScheduler delegate;
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Clock clock;
  private final Map<String, Boolean> canceled = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  CancelListener(DeviceScheduler delegate, Properties consumerProps, String topic, Clock clock) {
    this.delegate = delegate;
    this.consumer = new KafkaConsumer<>(consumerProps);
    this.topic = topic;
    this.clock = clock;
    this.thread = new Thread(this::run, "vegart-cancel-listener");
    this.thread.setDaemon(true);
  }

  /** Wraps {@code scheduler} so it obeys cancel commands sent to {@link JobControl#TOPIC}. */
  public static DeviceScheduler attach(DeviceScheduler scheduler, KafkaSettings kafka, String workerId) {
    Properties props = kafka.consumer(workerId + "-control", "unused");
    // No group: each worker reads every partition and commits nothing.
    props.remove("group.id");
    props.put("auto.offset.reset", "latest");
    return new CancelListener(scheduler, props, JobControl.TOPIC, Clock.systemUTC());
  }

  @Override
  public void start() {
    delegate.start();
    thread.start();
  }

  @Override
  public boolean offer(Admission admission) {
    if (wasCanceled(admission.jobId())) {
      LOG.info("job {} was canceled before this worker took it: dropped", admission.jobId());
      admission.listener().canceled(false);
      return true;
    }
    return delegate.offer(admission);
  }

  @Override
  public int freeSlots() {
    return delegate.freeSlots();
  }

  @Override
  public void cancel(String jobId) {
    remember(jobId);
    delegate.cancel(jobId);
  }

  @Override
  public boolean drain(Duration timeout) throws InterruptedException {
    return delegate.drain(timeout);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (thread.getState() == Thread.State.NEW) {
        consumer.close(Duration.ZERO);
      } else {
        consumer.wakeup();
        try {
          thread.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    delegate.close();
  }

  boolean wasCanceled(String jobId) {
    synchronized (canceled) {
      return canceled.containsKey(jobId);
    }
  }

  private void remember(String jobId) {
    synchronized (canceled) {
      canceled.put(jobId, Boolean.TRUE);
    }
  }

  private void run() {
    long nextTopicCheck = 0;
    try {
      while (!closed.get()) {
        if (clock.millis() >= nextTopicCheck) {
          assignAll();
          // Until the topic exists (a fresh cluster: the gateway creates it), look again every second.
          nextTopicCheck = clock.millis() + (consumer.assignment().isEmpty() ? 1_000 : TOPIC_RECHECK.toMillis());
        }
        if (consumer.assignment().isEmpty()) {
          consumer.poll(Duration.ofMillis(500));
          continue;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handle(record);
        }
      }
    } catch (WakeupException e) {
      if (!closed.get()) {
        LOG.error("cancel listener woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      LOG.error("cancel listener stopped: cancels will no longer reach this worker", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Assigns partitions not yet assigned (the topic may appear or grow), starting {@link #LOOKBACK} back. */
  private void assignAll() {
    List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
    if (infos == null || infos.size() == consumer.assignment().size()) {
      return;
    }
    List<TopicPartition> all = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    List<TopicPartition> added = all.stream().filter(p -> !consumer.assignment().contains(p)).toList();
    consumer.assign(all);
    Map<TopicPartition, Long> since = new HashMap<>();
    added.forEach(p -> since.put(p, clock.millis() - LOOKBACK.toMillis()));
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, Duration.ofSeconds(5));
    for (TopicPartition p : added) {
      OffsetAndTimestamp at = offsets.get(p);
      if (at == null) {
        consumer.seekToEnd(List.of(p));
      } else {
        consumer.seek(p, at.offset());
      }
    }
    LOG.info("listening for job cancels on {} partition(s) of {}", all.size(), topic);
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    JobControl control;
    try {
      control = Json.read(record.value(), JobControl.class);
    } catch (MalformedMessageException e) {
      LOG.warn("skipping malformed control record at {}-{}@{}", record.topic(), record.partition(), record.offset());
      return;
    }
    if (JobControl.CANCEL.equals(control.action()) && control.jobId() != null) {
      cancel(control.jobId());
    }
  }
}
