package dev.vegart.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production driver: a real device thread fed from other threads. Waits use latches with timeouts. */
class ThreadedDeviceSchedulerTest {
  private static final long TIMEOUT_S = 10;

  /** Records calls; optionally holds the device inside the first call of a stage until released. */
  private static final class GatedExecutor implements StageExecutor {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile Stage holdIn;

    @Override
    public void run(Stage stage, List<Generation> batch) throws InterruptedException {
      threads.add(Thread.currentThread().getName());
      batch.forEach(g -> calls.add(stage.tag() + ":" + g.id()));
      if (stage == holdIn) {
        holdIn = null;
        entered.countDown();
        release.await(TIMEOUT_S, TimeUnit.SECONDS);
      }
    }
  }

  /** A clock the test moves by hand, so deadlines pass without sleeping. */
  private static final class ManualClock implements SchedulerClock {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
      return nanos.get();
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH.plusNanos(nanos.get());
    }
  }

  private static final class Recorder implements AdmissionListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void started() {
      events.add("started");
    }

    @Override
    public void succeeded(List<Generation> generations) {
      end("succeeded");
    }

    @Override
    public void failed(Throwable error) {
      end("failed");
    }

    @Override
    public void expired() {
      end("expired");
    }

    @Override
    public void canceled(boolean whileRunning) {
      end("canceled:" + whileRunning);
    }

    private void end(String what) {
      events.add(what);
      done.countDown();
    }

    String outcome() throws InterruptedException {
      assertThat(done.await(TIMEOUT_S, TimeUnit.SECONDS)).as("outcome reported").isTrue();
      return events.get(events.size() - 1);
    }
  }

  private final GatedExecutor device = new GatedExecutor();
  private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
  private DeviceScheduler scheduler;

  @AfterEach
  void close() {
    device.release.countDown();
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private DeviceScheduler start(SchedulerConfig config, SchedulerClock clock) {
    scheduler = DeviceSchedulers.create(config, device, clock, new SimpleMeterRegistry());
    scheduler.start();
    return scheduler;
  }

  private Admission job(String id, int steps, Instant deadline) {
    Recorder recorder = new Recorder();
    recorders.put(id, recorder);
    return new Admission(id, List.of(new Generation(id + "-0", "p", 1, steps, 1024, 1024, Decoder.FULL)), deadline,
        recorder);
  }

  @Test
  void runsOfferedJobsOnItsOwnThreadReportsEachOnceAndDrains() throws Exception {
    start(SchedulerConfig.defaults(SchedulingPolicy.CONTINUOUS), SchedulerClock.system());
    for (int i = 0; i < 12; i++) {
      assertThat(scheduler.offer(job("j" + i, 1 + i % 8, null))).isTrue();
    }

    assertThat(scheduler.drain(Duration.ofSeconds(TIMEOUT_S))).isTrue();
    for (int i = 0; i < 12; i++) {
      assertThat(recorders.get("j" + i).outcome()).isEqualTo("succeeded");
      assertThat(recorders.get("j" + i).events).containsExactly("started", "succeeded");
    }
    assertThat(device.threads).containsOnly("vegart-device-continuous");
    assertThat(scheduler.offer(job("late", 4, null))).as("draining takes no new work").isFalse();
    assertThat(scheduler.freeSlots()).isZero();
  }

  @Test
  void freeSlotsCountImagesNotYetStartedAndOfferRefusesBeyondThem() throws Exception {
    SchedulerConfig config = new SchedulerConfig(SchedulingPolicy.CONTINUOUS, 8, Duration.ZERO, 3,
        SchedulerConfig.DEFAULT_DECODE_MAX_WAIT, null);
    device.holdIn = Stage.UNET_STEP;
    start(config, SchedulerClock.system());
    assertThat(scheduler.offer(job("running", 4, null))).isTrue();
    assertThat(device.entered.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(scheduler.freeSlots()).as("the running job is no longer waiting").isEqualTo(3);

    for (int i = 0; i < 3; i++) {
      assertThat(scheduler.offer(job("q" + i, 4, null))).isTrue();
    }
    assertThat(scheduler.freeSlots()).isZero();
    assertThat(scheduler.offer(job("refused", 4, null))).isFalse();

    device.release.countDown();
    assertThat(scheduler.drain(Duration.ofSeconds(TIMEOUT_S))).isTrue();
    assertThat(recorders.get("q2").outcome()).isEqualTo("succeeded");
  }

  @Test
  void cancelStopsARunningJobAtTheNextStepBoundary() throws Exception {
    device.holdIn = Stage.UNET_STEP;
    start(SchedulerConfig.defaults(SchedulingPolicy.CONTINUOUS), SchedulerClock.system());
    scheduler.offer(job("victim", 8, null));
    assertThat(device.entered.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

    scheduler.cancel("victim");
    scheduler.cancel("unknown-id");
    device.release.countDown();

    assertThat(recorders.get("victim").outcome()).isEqualTo("canceled:true");
    assertThat(device.calls).containsExactly("text_encode:victim-0", "unet_step:victim-0");
  }

  @Test
  void aQueuedJobWhoseDeadlinePassesWhileTheDeviceIsBusyExpiresWithoutRunning() throws Exception {
    ManualClock clock = new ManualClock();
    device.holdIn = Stage.UNET_STEP;
    start(SchedulerConfig.defaults(SchedulingPolicy.BUCKET), clock);
    scheduler.offer(job("busy", 4, null));
    assertThat(device.entered.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
    scheduler.offer(job("late", 4, clock.instant().plusMillis(100)));

    clock.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(150));
    device.release.countDown();

    assertThat(recorders.get("late").outcome()).isEqualTo("expired");
    assertThat(recorders.get("busy").outcome()).isEqualTo("succeeded");
    assertThat(device.calls).noneMatch(c -> c.endsWith("late-0"));
  }

  @Test
  void concurrentOffersAndCancelsEachEndExactlyOnceAndTheCountersReturnToZero() throws Exception {
    SchedulerConfig config = new SchedulerConfig(SchedulingPolicy.CONTINUOUS, 8, Duration.ZERO, 1000,
        SchedulerConfig.DEFAULT_DECODE_MAX_WAIT, null);
    start(config, SchedulerClock.system());
    int threads = 4;
    int perThread = 100;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> offerers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = base; i < base + perThread; i++) {
          assertThat(scheduler.offer(job("c" + i, 1 + i % 8, null))).isTrue();
          if (i % 7 == 0) {
            scheduler.cancel("c" + i);
          }
        }
      });
      offerers.add(thread);
      thread.start();
    }
    go.countDown();
    for (Thread thread : offerers) {
      thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
    }

    assertThat(scheduler.drain(Duration.ofSeconds(TIMEOUT_S))).isTrue();
    for (int i = 0; i < threads * perThread; i++) {
      Recorder r = recorders.get("c" + i);
      String outcome = r.outcome();
      assertThat(r.events.stream().filter(e -> !e.equals("started")).count()).as("c" + i).isEqualTo(1);
      assertThat(outcome).isIn("succeeded", "canceled:true", "canceled:false");
      if (i % 7 != 0) {
        assertThat(outcome).isEqualTo("succeeded");
      }
    }
    assertThat(scheduler.freeSlots()).as("draining").isZero();
  }

  @Test
  void aBucketWaitingForItsMaxDelayIsDispatchedWhenTheDelayPasses() throws Exception {
    SchedulerConfig config = new SchedulerConfig(SchedulingPolicy.BUCKET, 8, Duration.ofMillis(20), 16,
        SchedulerConfig.DEFAULT_DECODE_MAX_WAIT, null);
    start(config, SchedulerClock.system());
    scheduler.offer(job("alone", 2, null));

    assertThat(recorders.get("alone").outcome()).isEqualTo("succeeded");
  }
}
