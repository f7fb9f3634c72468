package dev.vegart.worker.scheduling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A Poisson stream of one-image requests with steps drawn uniformly from {@link #STEPS} and a size drawn
 * uniformly from the mix's sizes. Deterministic for a seed, so every policy sees the same stream.
 */
record Workload(String mix, List<Request> requests) {
  static final int[] STEPS = {2, 4, 8};

  record Size(int width, int height) {}

  record Request(int index, long arrivalNanos, int steps, Size size) {}

  static final List<Size> ONE_SIZE = List.of(new Size(1024, 1024));
  static final List<Size> TWO_SIZES = List.of(new Size(1024, 1024), new Size(768, 1344));

  static List<Size> sizes(String mix) {
    return mix.equals("one-size") ? ONE_SIZE : TWO_SIZES;
  }

  static Workload poisson(String mix, double imagesPerSecond, int count, long seed) {
    Random random = new Random(seed);
    List<Size> sizes = sizes(mix);
    List<Request> out = new ArrayList<>(count);
    double t = 0;
    for (int i = 0; i < count; i++) {
      t += -Math.log(1 - random.nextDouble()) / imagesPerSecond;
      out.add(new Request(i, Math.round(t * 1e9), STEPS[random.nextInt(STEPS.length)],
          sizes.get(random.nextInt(sizes.size()))));
    }
    return new Workload(mix, List.copyOf(out));
  }
}
