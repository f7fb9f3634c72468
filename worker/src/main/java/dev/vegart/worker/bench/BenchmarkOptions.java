package dev.vegart.worker.bench;

import dev.vegart.common.job.Decoder;
import dev.vegart.common.job.OutputFormat;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Command line of {@link PipelineBenchmark}.
 *
 * @param modelDir model directory (manifest.json)
 * @param device cpu, cuda or cuda:N
 * @param batchSizes batch sizes to time, in order
 * @param steps LCM steps per image
 * @param width image width
 * @param height image height
 * @param iterations timed runs per batch size (medians are reported)
 * @param warmup untimed runs per batch size before timing (TorchScript specialises per shape)
 * @param decoder full or fast
 * @param format output format for the encode stage
 * @param out JSON result file
 * @param threads intra-op CPU threads of the engine, 0 for DJL's default (all cores)
 * @param cpuBatching run CPU networks batched instead of once per sample (the batch-invariant default)
 */
public record BenchmarkOptions(Path modelDir, String device, List<Integer> batchSizes, int steps, int width, int height,
    int iterations, int warmup, Decoder decoder, OutputFormat format, Path out, int threads, boolean cpuBatching) {

  static final String USAGE = "usage: bench pipeline --model-dir DIR [--device cpu|cuda|cuda:N] [--batch-sizes 1,4,8]"
      + " [--steps 4] [--size 1024x1024] [--iterations 3] [--warmup 1] [--decoder full|fast]"
      + " [--format png|jpeg|webp] [--out bench-results/pipeline.json] [--threads N]"
      + " [--cpu-batching true|false]";

  public static BenchmarkOptions parse(String... args) {
    Path modelDir = null;
    String device = "cpu";
    List<Integer> batchSizes = List.of(1, 4, 8);
    int steps = 4;
    int width = 1024;
    int height = 1024;
    int iterations = 3;
    int warmup = 1;
    Decoder decoder = Decoder.FULL;
    OutputFormat format = OutputFormat.PNG;
    Path out = Path.of("bench-results", "pipeline.json");
    int threads = 0;
    boolean cpuBatching = false;
    for (int i = 0; i < args.length; i++) {
      String key = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(key + " needs a value; " + USAGE);
      }
      String value = args[++i];
      switch (key) {
        case "--model-dir" -> modelDir = Path.of(value);
        case "--device" -> device = value;
        case "--batch-sizes" -> batchSizes = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
        case "--steps" -> steps = Integer.parseInt(value);
        case "--size" -> {
          String[] wh = value.toLowerCase().split("x");
          if (wh.length != 2) {
            throw new IllegalArgumentException("--size must be WxH, got " + value);
          }
          width = Integer.parseInt(wh[0]);
          height = Integer.parseInt(wh[1]);
        }
        case "--iterations" -> iterations = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--decoder" -> decoder = Decoder.parse(value)
            .orElseThrow(() -> new IllegalArgumentException("--decoder must be full or fast, got " + value));
        case "--format" -> format = OutputFormat.parse(value)
            .orElseThrow(() -> new IllegalArgumentException("--format must be png, jpeg or webp, got " + value));
        case "--out" -> out = Path.of(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--cpu-batching" -> cpuBatching = Boolean.parseBoolean(value);
        default -> throw new IllegalArgumentException("unknown option " + key + "; " + USAGE);
      }
    }
    if (modelDir == null) {
      throw new IllegalArgumentException("--model-dir is required; " + USAGE);
    }
    if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1) || steps < 1 || iterations < 1 || warmup < 0) {
      throw new IllegalArgumentException("batch sizes and steps must be >= 1, iterations >= 1, warmup >= 0");
    }
    return new BenchmarkOptions(modelDir, device, List.copyOf(batchSizes), steps, width, height, iterations, warmup,
        decoder, format, out, threads, cpuBatching);
  }
}
