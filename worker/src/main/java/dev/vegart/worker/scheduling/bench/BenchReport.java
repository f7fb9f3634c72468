package dev.vegart.worker.scheduling.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats the comparison table and checks the continuous policy against the goals of issue 4. */
record BenchReport(double capacity, Map<String, Double> capacityByMix, Map<String, Double> batchOfOneP50Ms,
    Map<String, Double> saturatedThroughput, Map<String, Double> idealFifoP99Ms, List<BenchRow> rows) {

  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "capacity (best fixed-batch throughput, H200 cost model): %.3f images/s%n%n",
        capacity));
    sb.append(String.format(Locale.ROOT, "%-10s %-9s %5s %8s %8s %8s %8s %8s %5s %5s %5s  %s%n", "policy", "mix",
        "load", "offered", "thru/s", "p50ms", "p95ms", "p99ms", "unetB", "decB", "busy", "settings"));
    for (BenchRow r : rows) {
      RunResult x = r.result();
      sb.append(String.format(Locale.ROOT, "%-10s %-9s %5.2f %8.3f %8.3f %8.1f %8.1f %8.1f %5.2f %5.2f %4.0f%%  %s%n",
          r.policy(), r.mix(), r.load(), r.offeredImagesPerS(), x.throughputImagesPerS(), x.p50Ms(), x.p95Ms(),
          x.p99Ms(), x.meanUnetBatch(), x.meanDecodeBatch(), 100 * x.busyShare(), r.settings()));
    }
    return sb.toString();
  }

  String goals() {
    StringBuilder sb = new StringBuilder("\ngoals for the continuous policy:\n");
    for (String mix : SchedulerBenchmark.MIXES) {
      RunResult c75 = cell("continuous", 0.75, mix);
      RunResult b75 = cell("bucket", 0.75, mix);
      double ratio = c75.p99Ms() / b75.p99Ms();
      double tputGap = c75.throughputImagesPerS() / b75.throughputImagesPerS() - 1;
      sb.append(String.format(Locale.ROOT,
          "  [%s] %-9s 0.75 load: p99 %.1f ms = %.2f x best-tuned bucket %.1f ms (goal <= 0.60), throughput %+.1f%%%n",
          ratio <= 0.6 && Math.abs(tputGap) <= 0.02 ? "met" : "NOT met", mix, c75.p99Ms(), ratio, b75.p99Ms(),
          100 * tputGap));
      sb.append(String.format(Locale.ROOT,
          "        reference: FIFO on a device with perfect batch economy (every batch at the B=8 cost per image): "
              + "p99 %.1f ms = %.2f x bucket%n", idealFifoP99Ms.get(mix), idealFifoP99Ms.get(mix) / b75.p99Ms()));
      RunResult c95 = cell("continuous", 0.95, mix);
      double share = c95.throughputImagesPerS() / capacityByMix.get(mix);
      double ofOffered = c95.throughputImagesPerS() / (0.95 * capacityByMix.get(mix));
      double saturated = saturatedThroughput.get(mix) / capacityByMix.get(mix);
      // Offered exactly 0.95 x capacity, a finite run delivers at most that, minus what is still queued when
      // arrivals stop; so the goal is read as: it keeps up with 0.95 (>= 99% delivered) and can sustain >= 0.95.
      sb.append(String.format(Locale.ROOT,
          "  [%s] %-9s 0.95 load: delivered %.3f images/s = %.3f x capacity = %.1f%% of offered; "
              + "sustained maximum (offered %.1fx) %.3f x capacity (goal >= 0.95)%n",
          ofOffered >= 0.99 && saturated >= 0.95 ? "met" : "NOT met", mix, c95.throughputImagesPerS(), share,
          100 * ofOffered, SchedulerBenchmark.SATURATION_LOAD, saturated));
      RunResult c05 = cell("continuous", 0.05, mix);
      double lowRatio = c05.p50Ms() / batchOfOneP50Ms.get(mix);
      sb.append(String.format(Locale.ROOT,
          "  [%s] %-9s 0.05 load: p50 %.1f ms = %.3f x batch-of-one pipeline p50 %.1f ms (goal <= 1.10)%n",
          lowRatio <= 1.1 ? "met" : "NOT met", mix, c05.p50Ms(), lowRatio, batchOfOneP50Ms.get(mix)));
    }
    return sb.toString();
  }

  private RunResult cell(String policy, double load, String mix) {
    return rows.stream()
        .filter(r -> r.policy().equals(policy) && r.load() == load && r.mix().equals(mix))
        .findFirst()
        .orElseThrow()
        .result();
  }
}
