package dev.vegart.gateway.kafka;

import dev.vegart.common.config.KafkaSettings;
import dev.vegart.common.job.JobControl;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the jobs, dead-letter ({@code <jobs>.dlq}), events and job-control topics when missing. Blocking: call from a worker thread. */
public final class Topics {
  private Topics() {}

  public static void ensure(KafkaSettings kafka, int partitions, short replication) throws Exception {
    try (Admin admin = Admin.create(kafka.admin("vegart-topics"))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = java.util.stream.Stream.of(kafka.jobsTopic(), kafka.jobsTopic() + ".dlq", kafka.eventsTopic(), JobControl.TOPIC)
          .filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, replication))
          // Cancel commands matter only while their job can still be queued somewhere: keep them a day.
          .map(t -> t.name().equals(JobControl.TOPIC) ? t.configs(java.util.Map.of("retention.ms", "86400000")) : t)
          .toList();
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }
}
