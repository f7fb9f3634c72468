package dev.vegart.worker.pipeline;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One TorchScript file of the model directory loaded on a device, with its one predictor. Outputs belong to the
 * NDManager of the first input (DJL's PyTorch engine attaches them there), so callers scope memory by scoping inputs.
 * Not thread-safe: used by the pipeline's device thread only.
 */
final class TorchComponent implements AutoCloseable {
  final ModelManifest.Component spec;
  final DataType dtype;
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;

  private TorchComponent(ModelManifest.Component spec, ZooModel<NDList, NDList> model) {
    this.spec = spec;
    this.dtype = dataType(spec.dtype());
    this.model = model;
    this.predictor = model.newPredictor();
  }

  static TorchComponent load(ModelManifest.Component spec, Path file, Device device) {
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(file)
        .optEngine("PyTorch")
        .optDevice(device)
        .optTranslator(new NoopTranslator())
        .optOption("mapLocation", "true")
        .build();
    try {
      return new TorchComponent(spec, criteria.loadModel());
    } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
      throw new ModelDirectoryException("cannot load " + spec.name() + " from " + file + " on " + device
          + " (expected a TorchScript file saved by torch.jit.save): " + e.getMessage(), e);
    }
  }

  NDList forward(NDList inputs) {
    try {
      return predictor.predict(inputs);
    } catch (TranslateException e) {
      throw new IllegalStateException(spec.name() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Like {@link #forward}, but when {@code perSample} runs the network once per sample and concatenates the outputs.
   * CPU kernels (GEMM blocking, oneDNN convolutions) pick different reduction orders for different batch sizes, which
   * moves results by a few ulps and can flip a pixel; per-sample calls make each result independent of its batch.
   */
  NDList forward(NDList inputs, boolean perSample) {
    long batch = inputs.head().getShape().get(0);
    if (!perSample || batch == 1) {
      return forward(inputs);
    }
    List<NDList> outputs = new ArrayList<>();
    for (long i = 0; i < batch; i++) {
      NDList one = new NDList(inputs.size());
      for (NDArray input : inputs) {
        one.add(input.get(new NDIndex(i + ":" + (i + 1))));
      }
      outputs.add(forward(one));
    }
    NDList joined = new NDList(outputs.get(0).size());
    for (int k = 0; k < outputs.get(0).size(); k++) {
      NDList parts = new NDList(outputs.size());
      for (NDList out : outputs) {
        parts.add(out.get(k));
      }
      joined.add(NDArrays.concat(parts, 0));
    }
    return joined;
  }

  static DataType dataType(String dtype) {
    return switch (dtype) {
      case "float32" -> DataType.FLOAT32;
      case "float16" -> DataType.FLOAT16;
      case "bfloat16" -> DataType.BFLOAT16;
      default -> throw new ModelDirectoryException("unsupported component dtype " + dtype);
    };
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
