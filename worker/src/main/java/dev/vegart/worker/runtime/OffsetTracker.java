package dev.vegart.worker.runtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * In-order offset commits for out-of-order completion. A partition's committable offset is its lowest
 * offset still in flight, or one past the highest seen when none is: a record is never committed before
 * every earlier record of its partition is durable, so a crash redelivers exactly the unfinished ones
 * (and possibly some finished after them, which the gateway ignores). Owned by the consumer thread.
 */
final class OffsetTracker {
  private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
  private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  void started(TopicPartition partition, long offset) {
    inFlight.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    nextOffset.merge(partition, offset + 1, Math::max);
  }

  void done(TopicPartition partition, long offset) {
    TreeSet<Long> offsets = inFlight.get(partition);
    if (offsets != null) {
      offsets.remove(offset);
    }
  }

  int inFlight() {
    return inFlight.values().stream().mapToInt(TreeSet::size).sum();
  }

  /** Offsets that moved since the last call, ready to commit. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : nextOffset.entrySet()) {
      TreeSet<Long> offsets = inFlight.get(e.getKey());
      long offset = offsets == null || offsets.isEmpty() ? e.getValue() : offsets.first();
      if (!Long.valueOf(offset).equals(committed.get(e.getKey()))) {
        out.put(e.getKey(), new OffsetAndMetadata(offset));
      }
    }
    return out;
  }

  void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((p, o) -> committed.put(p, o.offset()));
  }

  /** Forgets partitions this consumer no longer owns; their unfinished records go to the new owner. */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition p : partitions) {
      inFlight.remove(p);
      nextOffset.remove(p);
      committed.remove(p);
    }
  }
}
