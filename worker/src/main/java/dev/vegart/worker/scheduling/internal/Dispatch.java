package dev.vegart.worker.scheduling.internal;

import dev.vegart.worker.scheduling.Stage;
import java.util.List;

/**
 * One device call a planner chose: the stage, its items, and why it was dispatched now (a metric label).
 */
public record Dispatch(Stage stage, List<Item> items, String reason) {
  public Dispatch {
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a dispatch needs at least one item");
    }
  }
}
