package dev.vegart.worker.observability;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.MemoryUsage;
import java.util.Optional;

/**
 * {@code vegart_worker_gpu_memory_used_bytes} and {@code vegart_worker_gpu_memory_total_bytes} of the worker's
 * CUDA device (the device-wide figures of {@code cudaMemGetInfo}, so other processes on the GPU count too).
 * Registered only when the worker runs on CUDA and the CUDA runtime answers: a CPU worker has no such series,
 * rather than a misleading zero.
 */
public final class GpuMemoryGauges {
  private GpuMemoryGauges() {}

  /** Registers the gauges for {@code device} ({@code cuda} or {@code cuda:N}); returns whether it did. */
  public static boolean register(MeterRegistry registry, String device) {
    Optional<Device> gpu = cudaDevice(device);
    if (gpu.isEmpty() || !CudaUtils.hasCuda()) {
      return false;
    }
    Device d = gpu.get();
    String index = Integer.toString(d.getDeviceId());
    Gauge.builder("vegart.worker.gpu.memory.used", d, g -> read(g).map(MemoryUsage::getUsed).orElse(-1L).doubleValue())
        .description("GPU memory in use on the worker's device (all processes)")
        .baseUnit("bytes")
        .tag("gpu", index)
        .register(registry);
    Gauge.builder("vegart.worker.gpu.memory.total", d, g -> read(g).map(MemoryUsage::getMax).orElse(-1L).doubleValue())
        .description("GPU memory of the worker's device")
        .baseUnit("bytes")
        .tag("gpu", index)
        .register(registry);
    return true;
  }

  /** The DJL device of a {@code VEGART_DEVICE} value, when it names a CUDA device. */
  static Optional<Device> cudaDevice(String device) {
    if (device.equals("cuda")) {
      return Optional.of(Device.gpu(0));
    }
    if (device.startsWith("cuda:")) {
      return Optional.of(Device.gpu(Integer.parseInt(device.substring(5))));
    }
    return Optional.empty();
  }

  private static Optional<MemoryUsage> read(Device device) {
    try {
      return Optional.of(CudaUtils.getGpuMemory(device));
    } catch (RuntimeException | LinkageError e) {
      // A scrape must not fail because the driver hiccuped; -1 says "unknown" on the dashboard.
      return Optional.empty();
    }
  }
}
