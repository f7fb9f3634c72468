package dev.vegart.worker.scheduling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A Poisson stream of one-image requests with steps drawn uniformly from {@link #STEPS} and a size drawn
 * uniformly from the mix's sizes. Deterministic for a seed, so every policy sees the same stream.
 *
 * <p>The stream is a Poisson process conditioned on its count: {@code count} arrival times drawn uniformly
 * over {@code count / rate} seconds and sorted. Its mean rate is then exactly the offered rate, so a run's
 * throughput measures the scheduler, not the luck of the draw, while the burstiness stays Poisson.
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
    double spanSeconds = count / imagesPerSecond;
    long[] arrivals = new long[count];
    for (int i = 0; i < count; i++) {
      arrivals[i] = Math.round(random.nextDouble() * spanSeconds * 1e9);
    }
    java.util.Arrays.sort(arrivals);
    List<Request> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Request(i, arrivals[i], STEPS[random.nextInt(STEPS.length)], sizes.get(random.nextInt(sizes.size()))));
    }
    return new Workload(mix, List.copyOf(out));
  }
}
