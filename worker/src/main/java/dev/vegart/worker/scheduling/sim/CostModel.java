package dev.vegart.worker.scheduling.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vegart.worker.scheduling.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Time of one device call as a function of stage, batch size and image size, from a measured table
 * (default: {@code costmodel/h200-vega-rt.json}, the H200 numbers of the model brief).
 *
 * <p>Between measured batch sizes the time is interpolated linearly; beyond them it follows the nearest
 * segment. Sizes other than the reference scale the batch by their pixel count (a 768x768 image is
 * 0.5625 "reference images"), which models a GPU whose cost follows the work; attention makes large
 * sizes somewhat dearer than this, so per-size tables would refine it.
 */
public final class CostModel {
  public static final String DEFAULT_RESOURCE = "/costmodel/h200-vega-rt.json";

  private record Curve(double[] batch, double[] ms, boolean scalesWithPixels) {}

  private final String description;
  private final double referencePixels;
  private final Map<Stage, Curve> curves;

  private CostModel(String description, double referencePixels, Map<Stage, Curve> curves) {
    this.description = description;
    this.referencePixels = referencePixels;
    this.curves = curves;
  }

  /** The H200 table shipped with the worker. */
  public static CostModel h200() {
    try (InputStream in = CostModel.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("cost model resource " + DEFAULT_RESOURCE + " is missing");
      }
      return load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a table in the shape of {@value #DEFAULT_RESOURCE}; every stage must be present. */
  public static CostModel load(InputStream json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    double refPixels = root.path("reference_width").asDouble(1024) * root.path("reference_height").asDouble(1024);
    Map<Stage, Curve> curves = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      JsonNode node = root.path("stages").path(stage.tag());
      if (node.isMissingNode()) {
        throw new IllegalArgumentException("cost model has no stage " + stage.tag());
      }
      curves.put(stage, curve(stage, node));
    }
    return new CostModel(root.path("description").asText(""), refPixels, curves);
  }

  private static Curve curve(Stage stage, JsonNode node) {
    JsonNode points = node.path("points");
    if (points.size() < 2) {
      throw new IllegalArgumentException("cost model stage " + stage.tag() + " needs at least two points");
    }
    double[] batch = new double[points.size()];
    double[] ms = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      batch[i] = points.get(i).path("batch").asDouble();
      ms[i] = points.get(i).path("ms").asDouble();
      if (!(ms[i] > 0) || (i > 0 && !(batch[i] > batch[i - 1]))) {
        throw new IllegalArgumentException("cost model stage " + stage.tag()
            + " needs increasing batch sizes and positive times");
      }
    }
    return new Curve(batch, ms, node.path("scales_with_pixels").asBoolean(true));
  }

  /**
   * A hypothetical device with perfect batch economy: every batch size costs per image what {@code atBatch}
   * costs per image here. No real GPU does this; it bounds what any batching policy could reach.
   */
  public CostModel perfectBatching(int atBatch) {
    Map<Stage, Curve> linear = new EnumMap<>(Stage.class);
    curves.forEach((stage, c) -> {
      double perImage = atUnits(c, atBatch) / atBatch;
      linear.put(stage, new Curve(new double[] {1, 2}, new double[] {perImage, 2 * perImage}, c.scalesWithPixels()));
    });
    return new CostModel("perfect batching at B=" + atBatch + " of: " + description, referencePixels, linear);
  }

  public String description() {
    return description;
  }

  /** Milliseconds for one call of {@code stage} on {@code batch} images of {@code width x height}. */
  public double millis(Stage stage, int batch, int width, int height) {
    Curve c = curves.get(stage);
    return atUnits(c, c.scalesWithPixels() ? batch * (width * (double) height / referencePixels) : batch);
  }

  /** Time for {@code units} reference images: piecewise linear through the measured points. */
  private static double atUnits(Curve c, double units) {
    int n = c.batch().length;
    int i = 0;
    while (i < n - 2 && units > c.batch()[i + 1]) {
      i++;
    }
    double slope = (c.ms()[i + 1] - c.ms()[i]) / (c.batch()[i + 1] - c.batch()[i]);
    double t = c.ms()[i] + slope * (units - c.batch()[i]);
    // Below the smallest measured batch the extrapolated line could reach zero; a call is never free.
    return Math.max(t, 0.1 * c.ms()[0]);
  }

  /** One job of {@code batch} images run alone: text, {@code steps} UNet steps, full decode. */
  public double pipelineMillis(int batch, int steps, int width, int height) {
    return millis(Stage.TEXT_ENCODE, batch, width, height)
        + steps * millis(Stage.UNET_STEP, batch, width, height)
        + millis(Stage.DECODE_FULL, batch, width, height);
  }

  /**
   * Best throughput (images/s) of fixed batches up to {@code maxBatch}, with each batch's steps drawn
   * uniformly from {@code steps}: the capacity that offered loads are fractions of.
   */
  public double bestFixedBatchThroughput(int maxBatch, int[] steps, int width, int height) {
    double best = 0;
    for (int b = 1; b <= maxBatch; b++) {
      double meanMs = 0;
      for (int s : steps) {
        meanMs += pipelineMillis(b, s, width, height) / steps.length;
      }
      best = Math.max(best, b * 1000.0 / meanMs);
    }
    return best;
  }
}
