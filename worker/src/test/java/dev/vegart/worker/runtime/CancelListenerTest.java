package dev.vegart.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.config.KafkaSettings;
import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.Admission;
import dev.vegart.worker.scheduling.AdmissionListener;
import dev.vegart.worker.scheduling.DeviceScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decorator's own logic: cancels reach the scheduler, and a job canceled before it is offered never runs. */
class CancelListenerTest {

  /** Records what reaches the real scheduler (pure logic: no device, no broker). */
  private static final class RecordingScheduler implements DeviceScheduler {
    final List<String> offered = new ArrayList<>();
    final List<String> canceled = new ArrayList<>();

    @Override public void start() {}
    @Override public boolean offer(Admission admission) { offered.add(admission.jobId()); return true; }
    @Override public int freeSlots() { return 3; }
    @Override public void cancel(String jobId) { canceled.add(jobId); }
    @Override public boolean drain(Duration timeout) { return true; }
    @Override public void close() {}
  }

  private static final class Outcome implements AdmissionListener {
    Boolean canceledWhileRunning;

    @Override public void started() {}
    @Override public void succeeded(List<Generation> generations) {}
    @Override public void failed(Throwable error) {}
    @Override public void expired() {}
    @Override public void canceled(boolean whileRunning) { canceledWhileRunning = whileRunning; }
  }

  private static Admission admission(String jobId, Outcome outcome) {
    return new Admission(jobId, List.of(new Generation(jobId + "#0", "p", 1, 1, 64, 64, Decoder.FULL)), null, outcome);
  }

  @Test
  void aJobCanceledBeforeItIsOfferedIsReportedCanceledAndNeverReachesTheScheduler() {
    RecordingScheduler scheduler = new RecordingScheduler();
    // Never started: the consumer thread is not needed for the decorator's logic.
    DeviceScheduler listener = CancelListener.attach(scheduler, KafkaSettings.of("127.0.0.1:1"), "w-test");
    listener.cancel("job_a");
    Outcome outcome = new Outcome();
    assertThat(listener.offer(admission("job_a", outcome))).isTrue();
    assertThat(outcome.canceledWhileRunning).isFalse();
    assertThat(scheduler.offered).isEmpty();
    assertThat(scheduler.canceled).containsExactly("job_a");

    Outcome other = new Outcome();
    assertThat(listener.offer(admission("job_b", other))).isTrue();
    assertThat(scheduler.offered).containsExactly("job_b");
    assertThat(other.canceledWhileRunning).isNull();
    assertThat(listener.freeSlots()).isEqualTo(3);
    listener.close();
  }
}
