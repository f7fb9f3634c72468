package dev.vegart.worker.pipeline;

/**
 * diffusers' LCMScheduler as used for LCM-LoRA (brief: model.md), as pure numbers: the per-sample coefficients
 * the pipeline applies on the device. Immutable and thread-safe.
 *
 * <p>One step at timestep t with next timestep t' (none on the last step):
 * {@code x0 = (x - sqrt(1-a_t) eps) / sqrt(a_t)}, {@code denoised = c_out x0 + c_skip x},
 * {@code x' = sqrt(a_t') denoised + sqrt(1-a_t') z}, or {@code x' = denoised} on the last step.
 */
public final class LcmScheduler {
  private final ModelManifest.Scheduler config;
  private final float[] alphasCumprod;

  public LcmScheduler(ModelManifest.Scheduler config) {
    this.config = config;
    this.alphasCumprod = alphasCumprod(config);
  }

  /**
   * torch's float32 {@code linspace(sqrt(beta_start), sqrt(beta_end), n) ** 2}, then {@code cumprod(1 - betas)},
   * which torch accumulates in double on CPU and rounds to float per element.
   */
  static float[] alphasCumprod(ModelManifest.Scheduler c) {
    int n = c.numTrainTimesteps();
    float[] roots = linspace((float) Math.sqrt(c.betaStart()), (float) Math.sqrt(c.betaEnd()), n);
    float[] out = new float[n];
    double product = 1.0;
    for (int i = 0; i < n; i++) {
      product *= (float) (1.0f - roots[i] * roots[i]);
      out[i] = (float) product;
    }
    return out;
  }

  /**
   * torch 1.13's CPU float linspace, bit for bit: the first half counts up from start, the second down from end;
   * AVX2 blocks of 8 start from a base and add k*step, the last {@code n % 16} values are scalar, and GCC fuses
   * every multiply-add. (A plain start + i*step differs in the last bit for a quarter of the values.)
   */
  static float[] linspace(float start, float end, int n) {
    float step = (end - start) / (n - 1);
    int half = n / 2;
    float[] out = new float[n];
    int vectorized = n - n % 16;
    for (int idx = 0; idx < vectorized; idx += 8) {
      float base = idx < half ? Math.fma(step, idx, start) : Math.fma(-step, n - idx - 1, end);
      for (int k = 0; k < 8; k++) {
        out[idx + k] = Math.fma(k, step, base);
      }
    }
    for (int idx = vectorized; idx < n; idx++) {
      out[idx] = idx < half ? Math.fma(step, idx, start) : Math.fma(-step, n - idx - 1, end);
    }
    return out;
  }

  public float alphaCumprod(int timestep) {
    return alphasCumprod[timestep];
  }

  /** The timesteps of an {@code steps}-step run: every (1000/50)th training step from 999, evenly picked. */
  public int[] timesteps(int steps) {
    int original = config.originalInferenceSteps();
    if (steps < 1 || steps > original) {
      throw new IllegalArgumentException("steps must be in 1.." + original + ", got " + steps);
    }
    int k = config.numTrainTimesteps() / original;
    int[] out = new int[steps];
    for (int j = 0; j < steps; j++) {
      int index = (int) Math.floor((double) j * original / steps);
      out[j] = k * (original - index) - 1;
    }
    return out;
  }

  /** The coefficients of step {@code stepIndex} of an {@code steps}-step run. */
  public StepCoefficients coefficients(int steps, int stepIndex) {
    int[] ts = timesteps(steps);
    int t = ts[stepIndex];
    float a = alphasCumprod[t];
    double s = t * config.timestepScaling();
    double sd2 = config.sigmaData() * config.sigmaData();
    float cSkip = (float) (sd2 / (s * s + sd2));
    float cOut = (float) (s / Math.sqrt(s * s + sd2));
    float sqrtA = (float) Math.sqrt(a);
    float sqrtOneMinusA = (float) Math.sqrt(1.0f - a);
    if (stepIndex == steps - 1) {
      return new StepCoefficients(t, sqrtA, sqrtOneMinusA, cSkip, cOut, 1.0f, 0.0f, true);
    }
    float next = alphasCumprod[ts[stepIndex + 1]];
    return new StepCoefficients(t, sqrtA, sqrtOneMinusA, cSkip, cOut,
        (float) Math.sqrt(next), (float) Math.sqrt(1.0f - next), false);
  }

  /**
   * Float32 coefficients of one step; {@code sqrtNext = 1, sqrtOneMinusNext = 0} on the last step so a mixed batch
   * can apply one formula (exact in IEEE arithmetic with zero noise).
   */
  public record StepCoefficients(int timestep, float sqrtA, float sqrtOneMinusA, float cSkip, float cOut,
      float sqrtNext, float sqrtOneMinusNext, boolean last) {}
}
