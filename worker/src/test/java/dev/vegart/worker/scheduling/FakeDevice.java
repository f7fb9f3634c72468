package dev.vegart.worker.scheduling;

import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.scheduling.sim.CostModel;
import dev.vegart.worker.scheduling.sim.VirtualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic device for tests: takes the cost model's time on the virtual clock, computes for each
 * generation an output that depends only on that generation (prompt, seed, and its own sequence of stages),
 * records every call, notes every violation of the {@link StageExecutor} contract, and fails calls that
 * contain a "poisoned" generation, like a model that runs out of memory on one request.
 */
final class FakeDevice implements StageExecutor {
  record Call(Stage stage, List<String> ids, int width, int height, long startNanos, long endNanos) {}

  private final CostModel model;
  private final VirtualClock clock;
  private final Map<String, Long> state = new HashMap<>();
  private final Map<String, Integer> steps = new HashMap<>();
  private final Map<String, Long> outputs = new HashMap<>();
  private final Map<String, Stage> poison = new HashMap<>();
  private final Set<String> decoded = new HashSet<>();
  final List<Call> calls = new ArrayList<>();
  final List<String> violations = new ArrayList<>();

  FakeDevice(CostModel model, VirtualClock clock) {
    this.model = model;
    this.clock = clock;
  }

  /** Every call of {@code stage} that contains {@code generationId} fails. */
  void poison(String generationId, Stage stage) {
    poison.put(generationId, stage);
  }

  /** The decoded output of a generation, or null. */
  Long output(String generationId) {
    return outputs.get(generationId);
  }

  /** What a generation's output is when it runs alone: a function of the generation only. */
  static long expectedOutput(Generation g) {
    long h = textState(g);
    for (int i = 0; i < g.steps(); i++) {
      h = stepState(h, i, g.steps());
    }
    return decodeState(h, g);
  }

  @Override
  public void run(Stage stage, List<Generation> batch) {
    long start = clock.nanos();
    Generation first = batch.get(0);
    clock.advance(Math.round(model.millis(stage, batch.size(), first.width(), first.height()) * 1e6));
    calls.add(new Call(stage, batch.stream().map(Generation::id).toList(), first.width(), first.height(), start,
        clock.nanos()));
    for (Generation g : batch) {
      if (poison.get(g.id()) == stage) {
        throw new IllegalStateException("simulated CUDA out of memory in " + stage.tag() + " with " + g.id());
      }
    }
    for (Generation g : batch) {
      check(stage, g, first);
    }
    for (Generation g : batch) {
      apply(stage, g);
    }
  }

  private void check(Stage stage, Generation g, Generation first) {
    if (stage != Stage.TEXT_ENCODE && (g.width() != first.width() || g.height() != first.height())) {
      violations.add(stage.tag() + " call mixes sizes: " + g.id());
    }
    boolean encoded = state.containsKey(g.id());
    int done = steps.getOrDefault(g.id(), 0);
    switch (stage) {
      case TEXT_ENCODE -> {
        if (encoded) {
          violations.add("text encoded twice: " + g.id());
        }
      }
      case UNET_STEP -> {
        if (!encoded || done >= g.steps()) {
          violations.add("unet step out of order: " + g.id() + " after " + done + " of " + g.steps());
        }
      }
      case DECODE_FULL, DECODE_FAST -> {
        if (done != g.steps() || decoded.contains(g.id()) || Stage.decodeWith(g.decoder()) != stage) {
          violations.add("decode out of order or with the wrong decoder: " + g.id());
        }
      }
    }
  }

  private void apply(Stage stage, Generation g) {
    switch (stage) {
      case TEXT_ENCODE -> state.put(g.id(), textState(g));
      case UNET_STEP -> {
        int done = steps.getOrDefault(g.id(), 0);
        state.put(g.id(), stepState(state.getOrDefault(g.id(), 0L), done, g.steps()));
        steps.put(g.id(), done + 1);
      }
      case DECODE_FULL, DECODE_FAST -> {
        decoded.add(g.id());
        outputs.put(g.id(), decodeState(state.getOrDefault(g.id(), 0L), g));
      }
    }
  }

  private static long textState(Generation g) {
    return mix(g.prompt().hashCode() * 31L + g.seed());
  }

  private static long stepState(long h, int stepIndex, int totalSteps) {
    return mix(h ^ (stepIndex * 1_000_003L + totalSteps));
  }

  private static long decodeState(long h, Generation g) {
    return mix(h + g.decoder().ordinal() + 17L * g.width() + g.height());
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
