package dev.vegart.worker.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything one benchmark run measured, as written to JSON and printed as a table. */
public record BenchmarkReport(String implementation, MachineInfo machine, String modelDir, String model,
    Map<String, String> dtypes, int width, int height, int steps, String decoder, String format, double loadMs,
    List<StageTimes> results) {

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s pipeline, model %s (%s), %dx%d, %d steps, decoder %s, %s%n",
        implementation, model, modelDir, width, height, steps, decoder, format));
    out.append(String.format(Locale.ROOT, "machine: %s, %s, %d cores, %s, device %s, %s; dtypes %s; load %.0f ms%n",
        machine.os(), machine.cpu(), machine.cores(), machine.java(), machine.device(), machine.engine(), dtypes,
        loadMs));
    out.append("| batch | tokenize ms | text ms | unet step ms | decode ms | encode ms/img | end-to-end ms | images/s |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    for (StageTimes r : results) {
      out.append(String.format(Locale.ROOT, "| %d | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
          r.batchSize(), r.tokenizeMs(), r.textMs(), r.unetStepMs(), r.decodeMs(), r.encodeMsPerImage(),
          r.endToEndMs(), r.imagesPerSecond()));
    }
    return out.toString();
  }
}
