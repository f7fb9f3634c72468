package dev.vegart.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.common.job.Decoder;
import dev.vegart.worker.pipeline.Generation;
import dev.vegart.worker.pipeline.Pipeline;
import dev.vegart.worker.pipeline.Pipelines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed demo model ({@code models/demo}) drawn through the whole Java pipeline (tokenizer, both text
 * encoders, LCM steps of the UNet, decoder) must show what held-out prompts ask for, read back by simple image
 * measurements. Prompts combine colour, shape and background in ways the model never saw in training.
 *
 * <p>The same check must fail when the pipeline is wrong: {@link #wrongSchedulerCoefficientsLoseTheMeaning} runs it
 * with beta_end 0.12 instead of 0.012 in the manifest. {@code -Dvegart.demo.fault=scheduler} applies that fault to the main
 * test too, to watch it fail.
 */
class DemoModelMeaningTest {
  /**
   * What the committed model must draw right, as a share of held-out images. Issue 11 asks for 0.9 on colour; the model
   * gets 1.0 on colour, background, count and position and about 0.9 on shape (docs/DEMO_MODEL.md), so every floor but
   * shape's is 0.9 and shape's leaves room for the small shapes it misreads.
   */
  static final double COLOUR_FLOOR = 0.9;
  static final double BACKGROUND_FLOOR = 0.9;
  static final double COUNT_FLOOR = 0.9;
  static final double POSITION_FLOOR = 0.9;
  static final double SHAPE_FLOOR = 0.7;
  /** Seeds per prompt; {@code -Dvegart.demo.seeds=N} trades time for a finer score. */
  private static final int SEEDS = Integer.getInteger("vegart.demo.seeds", 3);
  private static final int SIZE = 512;
  private static final int STEPS = 4;
  private static final int BATCH = 10;

  @Test
  void heldOutPromptsShowTheirColoursShapesCountsAndPositions(@TempDir Path scratch) {
    Path model = "scheduler".equals(System.getProperty("vegart.demo.fault"))
        ? withWrongScheduler(demoModel(), scratch) : demoModel();
    HeldOutSet set = HeldOutSet.read(demoModel().resolve("heldout.json"));

    MeaningScores scores = generateAndMeasure(model, set, set.prompts(), SEEDS);

    System.out.println("demo model, held-out prompts through the Java pipeline:\n" + scores.table());
    assertThat(scores.accuracy("colour")).as(scores.table()).isGreaterThanOrEqualTo(COLOUR_FLOOR);
    assertThat(scores.accuracy("background")).as(scores.table()).isGreaterThanOrEqualTo(BACKGROUND_FLOOR);
    assertThat(scores.accuracy("count")).as(scores.table()).isGreaterThanOrEqualTo(COUNT_FLOOR);
    assertThat(scores.accuracy("position")).as(scores.table()).isGreaterThanOrEqualTo(POSITION_FLOOR);
    assertThat(scores.accuracy("shape")).as(scores.table()).isGreaterThanOrEqualTo(SHAPE_FLOOR);
  }

  @Test
  void wrongSchedulerCoefficientsLoseTheMeaning(@TempDir Path scratch) {
    HeldOutSet set = HeldOutSet.read(demoModel().resolve("heldout.json"));

    MeaningScores scores = generateAndMeasure(withWrongScheduler(demoModel(), scratch), set,
        set.prompts().subList(0, 10), 1);

    System.out.println("demo model with beta_end 0.12 in its manifest:\n" + scores.table());
    assertThat(scores.accuracy("colour")).as(scores.table()).isLessThan(COLOUR_FLOOR);
    assertThat(scores.accuracy("background")).as(scores.table()).isLessThan(BACKGROUND_FLOOR);
  }

  static MeaningScores generateAndMeasure(Path model, HeldOutSet set, List<HeldOutSet.Expected> prompts, int seeds) {
    DemoImageMeasurements measurements = new DemoImageMeasurements(set);
    MeaningScores scores = new MeaningScores();
    List<Generation> pending = new ArrayList<>();
    List<HeldOutSet.Expected> wanted = new ArrayList<>();
    try (Pipeline pipeline = Pipelines.load(model, "cpu")) {
      for (HeldOutSet.Expected expected : prompts) {
        for (int seed = 0; seed < seeds; seed++) {
          pending.add(new Generation(expected.prompt() + "#" + seed, expected.prompt(), seed, STEPS, SIZE, SIZE,
              Decoder.FULL));
          wanted.add(expected);
          if (pending.size() == BATCH) {
            runAndScore(pipeline, pending, wanted, measurements, scores);
          }
        }
      }
      runAndScore(pipeline, pending, wanted, measurements, scores);
    }
    return scores;
  }

  private static void runAndScore(Pipeline pipeline, List<Generation> batch, List<HeldOutSet.Expected> wanted,
      DemoImageMeasurements measurements, MeaningScores scores) {
    if (batch.isEmpty()) {
      return;
    }
    pipeline.runToCompletion(batch);
    for (int i = 0; i < batch.size(); i++) {
      scores.add(wanted.get(i), measurements.measure(batch.get(i).image()));
    }
    batch.clear();
    wanted.clear();
  }

  /** models/demo from the worker module's directory (Surefire's working directory) or the repository root. */
  static Path demoModel() {
    for (Path p : new Path[] {Path.of("..", "models", "demo"), Path.of("models", "demo")}) {
      if (Files.isRegularFile(p.resolve("heldout.json"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("models/demo not found from " + Path.of("").toAbsolutePath());
  }

  /**
   * A copy of the model directory whose manifest says beta_end 0.12 instead of 0.012 (an order-of-magnitude slip in
   * the scheduler's coefficients). The weights are the same files.
   */
  static Path withWrongScheduler(Path model, Path scratch) {
    try (Stream<Path> files = Files.walk(model)) {
      for (Path source : files.toList()) {
        Path target = scratch.resolve(model.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode manifest = (ObjectNode) mapper.readTree(scratch.resolve("manifest.json").toFile());
      ((ObjectNode) manifest.get("scheduler")).put("beta_end", 0.12);
      mapper.writeValue(scratch.resolve("manifest.json").toFile(), manifest);
      return scratch;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
