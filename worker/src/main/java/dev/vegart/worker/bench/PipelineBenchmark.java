package dev.vegart.worker.bench;

import ai.djl.engine.Engine;
import dev.vegart.common.json.Json;
import dev.vegart.worker.imageio.ImageEncoder;
import dev.vegart.worker.pipeline.DjlPipeline;
import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.pipeline.Pipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times the Java pipeline stage by stage on any model directory and device: tokenize, text encoders, UNet steps,
 * decode, image encoding; prints a table with images/s and the machine, writes JSON (default
 * bench-results/pipeline.json). deploy/model/bench_reference.py does the same for the Python reference, so the two
 * can be compared stage by stage on the same files. Entry point of {@code ./vegart bench pipeline}.
 */
public final class PipelineBenchmark {
  private static final String[] PROMPTS = {
      "portrait of an old sailor, oil painting, dramatic light",
      "a photo of a cat on a windowsill",
      "a red fox in the snow at dawn, telephoto",
      "isometric city block at night, neon, rain",
  };

  private PipelineBenchmark() {}

  public static void main(String[] args) throws IOException {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    BenchmarkReport report = run(options);
    System.out.print(report.table());
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    Files.write(options.out(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
    System.out.println("wrote " + options.out());
  }

  static BenchmarkReport run(BenchmarkOptions options) {
    if (options.threads() > 0) {
      // read by DJL when the PyTorch engine starts, i.e. before the first model loads
      System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(options.threads()));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    long loadStart = System.nanoTime();
    try (DjlPipeline pipeline = Pipelines.load(options.modelDir(), options.device())) {
      double loadMs = millis(loadStart);
      pipeline.synchronizeStages(true);
      pipeline.batchInvariantOnCpu(!options.cpuBatching());
      ImageEncoder encoder = new ImageEncoder();
      List<StageTimes> results = new ArrayList<>();
      for (int batchSize : options.batchSizes()) {
        for (int i = 0; i < options.warmup(); i++) {
          once(pipeline, encoder, options, batchSize);
        }
        double[][] runs = new double[options.iterations()][];
        for (int i = 0; i < options.iterations(); i++) {
          runs[i] = once(pipeline, encoder, options, batchSize);
        }
        results.add(median(batchSize, runs));
      }
      String engine = "DJL PyTorch " + Engine.getEngine("PyTorch").getVersion() + " ("
          + ai.djl.pytorch.jni.JniUtils.getNumThreads() + " threads, CPU calls "
          + (options.cpuBatching() ? "batched" : "per sample") + ")";
      return new BenchmarkReport("java", MachineInfo.describe(options.device(), engine),
          options.modelDir().toString(), pipeline.info().name(),
          pipeline.dtypes(), options.width(), options.height(), options.steps(), options.decoder().wire(),
          options.format().wire(), loadMs, results);
    }
  }

  /** One sequential pass; returns {tokenize, text, unet step mean, decode, encode per image, end to end} in ms. */
  private static double[] once(DjlPipeline pipeline, ImageEncoder encoder, BenchmarkOptions o, int batchSize) {
    List<Generation> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      batch.add(new Generation("bench-" + i, PROMPTS[i % PROMPTS.length] + " #" + i, 1000 + i, o.steps(), o.width(),
          o.height(), o.decoder()));
    }
    long start = System.nanoTime();
    for (Generation g : batch) {
      g.tokens(pipeline.tokenizer().tokenize(g.prompt()));
    }
    double tokenize = millis(start);
    long t = System.nanoTime();
    pipeline.encodeText(batch);
    double text = millis(t);
    t = System.nanoTime();
    while (!batch.get(0).stepsDone()) {
      pipeline.unetStep(batch);
    }
    double unet = millis(t) / o.steps();
    t = System.nanoTime();
    pipeline.decode(batch);
    double decode = millis(t);
    t = System.nanoTime();
    for (Generation g : batch) {
      encoder.encode(g.image(), o.format());
    }
    double encode = millis(t) / batchSize;
    return new double[] {tokenize, text, unet, decode, encode, millis(start)};
  }

  private static StageTimes median(int batchSize, double[][] runs) {
    double[] m = new double[runs[0].length];
    for (int k = 0; k < m.length; k++) {
      final int column = k;
      double[] values = Arrays.stream(runs).mapToDouble(r -> r[column]).sorted().toArray();
      m[k] = values.length % 2 == 1 ? values[values.length / 2]
          : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
    return new StageTimes(batchSize, m[0], m[1], m[2], m[3], m[4], m[5], batchSize * 1000.0 / m[5]);
  }

  private static double millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
