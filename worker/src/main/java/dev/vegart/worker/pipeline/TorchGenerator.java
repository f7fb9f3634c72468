package dev.vegart.worker.pipeline;

/**
 * A re-implementation of {@code torch.Generator("cpu").manual_seed(seed)} and of
 * {@code torch.randn(shape, generator=g, dtype=torch.float32)} on it, so a request's noise is the noise a local
 * diffusers run with a CPU generator draws. Verified bit-for-bit against torch 1.13 (AVX2 kernels) by the golden
 * tests.
 *
 * <p>State: torch's mt19937 engine plus the cached second Box-Muller value of the double normal sampler
 * (torch keeps it in the generator between calls). Not thread-safe: one generator per image, used by the device
 * thread.
 */
public final class TorchGenerator {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] state = new int[N];
  private int next;
  private double cachedNormal;
  private boolean hasCachedNormal;

  public TorchGenerator(long seed) {
    // torch seeds its mt19937 with the low 32 bits of the 64-bit seed.
    state[0] = (int) seed;
    for (int j = 1; j < N; j++) {
      state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
    }
    next = N;
  }

  /** The next raw 32-bit output of mt19937 ({@code generator->random()}), as an unsigned value in an int. */
  int nextInt() {
    if (next >= N) {
      twist();
    }
    int y = state[next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return y ^ (y >>> 18);
  }

  private void twist() {
    int[] s = state;
    int i = 0;
    for (; i < N - M; i++) {
      s[i] = mix(s[i], s[i + 1], s[i + M]);
    }
    for (; i < N - 1; i++) {
      s[i] = mix(s[i], s[i + 1], s[i + M - N]);
    }
    s[N - 1] = mix(s[N - 1], s[0], s[M - 1]);
    next = 0;
  }

  private static int mix(int current, int following, int far) {
    int y = (current & 0x80000000) | (following & 0x7fffffff);
    return far ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
  }

  /** torch's {@code uniform_real_distribution<float>(0, 1)}: the low 24 bits of one draw, times 2^-24. */
  float nextUniformFloat() {
    return (nextInt() & 0xffffff) * 0x1.0p-24f;
  }

  /** torch's {@code uniform_real_distribution<double>(0, 1)}: 53 bits of a 64-bit draw (two 32-bit draws, first high). */
  double nextUniformDouble() {
    long hi = nextInt() & 0xffffffffL;
    long lo = nextInt() & 0xffffffffL;
    return (((hi << 32) | lo) & ((1L << 53) - 1)) * 0x1.0p-53;
  }

  /** {@code torch.randn(n)} in float32 on this generator: the 16-wide Box-Muller path from 16 values on, else scalar. */
  public float[] randn(int n) {
    float[] out = new float[n];
    if (n >= 16) {
      for (int i = 0; i < n; i++) {
        out[i] = nextUniformFloat();
      }
      for (int i = 0; i + 16 <= n; i += 16) {
        NormalFill16.fill(out, i);
      }
      if (n % 16 != 0) {
        // torch redraws the last 16 values (overlapping the previous block) instead of handling a tail.
        int start = n - 16;
        for (int i = 0; i < 16; i++) {
          out[start + i] = nextUniformFloat();
        }
        NormalFill16.fill(out, start);
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = (float) nextNormalDouble();
      }
    }
    return out;
  }

  /** torch's {@code normal_distribution<double>(0, 1)}: Box-Muller on two double uniforms, caching the sine half. */
  double nextNormalDouble() {
    if (hasCachedNormal) {
      hasCachedNormal = false;
      return cachedNormal;
    }
    double u1 = nextUniformDouble();
    double u2 = nextUniformDouble();
    double r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
    double theta = 2.0 * Math.PI * u1;
    cachedNormal = r * Math.sin(theta);
    hasCachedNormal = true;
    return r * Math.cos(theta);
  }
}
