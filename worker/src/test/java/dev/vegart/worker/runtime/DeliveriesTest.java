package dev.vegart.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
  private final Deliveries deliveries = new Deliveries(2);
  private final List<String> durable = new ArrayList<>();

  @Test
  void aDuplicateOfAHeldJobCompletesOnlyWhenTheHeldCopyIsDurable() {
    deliveries.hold("job_a");
    assertThat(deliveries.duplicate("job_a", () -> durable.add("copy"))).isTrue();
    assertThat(durable).isEmpty();
    deliveries.finished("job_a");
    assertThat(durable).containsExactly("copy");
  }

  @Test
  void aDuplicateOfAFinishedJobCompletesAtOnce() {
    deliveries.hold("job_a");
    deliveries.finished("job_a");
    assertThat(deliveries.duplicate("job_a", () -> durable.add("late copy"))).isTrue();
    assertThat(durable).containsExactly("late copy");
  }

  @Test
  void aJobNeverSeenOrReleasedIsNoDuplicate() {
    assertThat(deliveries.duplicate("job_new", () -> durable.add("x"))).isFalse();
    deliveries.hold("job_b");
    deliveries.release("job_b");
    assertThat(deliveries.duplicate("job_b", () -> durable.add("x"))).isFalse();
    assertThat(durable).isEmpty();
  }

  @Test
  void onlyTheLatestFinishedJobsAreRemembered() {
    for (String id : List.of("job_1", "job_2", "job_3")) {
      deliveries.hold(id);
      deliveries.finished(id);
    }
    assertThat(deliveries.duplicate("job_1", () -> durable.add("1"))).isFalse();
    assertThat(deliveries.duplicate("job_3", () -> durable.add("3"))).isTrue();
    assertThat(durable).containsExactly("3");
  }
}
