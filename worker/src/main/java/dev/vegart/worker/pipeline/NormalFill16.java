package dev.vegart.worker.pipeline;

/**
 * torch 1.13's AVX2 Box-Muller over 16 uniforms ({@code normal_fill_16_AVX2}): the first 8 give u1 = 1 - u, the last
 * 8 give u2; out[j] = r cos(2 pi u2), out[j+8] = r sin(2 pi u2) with r = sqrt(-2 log u1).
 *
 * <p>Bit-identical results need the same float arithmetic as that kernel: log, sin and cos are the Cephes single
 * precision polynomials (as vectorised in torch's {@code avx_mathfun.h}), and every multiply feeding an add is a
 * fused multiply-add, because GCC contracts them when it builds torch's AVX2 kernels. Constants are the Cephes
 * decimal values rounded through double to float, as the C initialisers do. The golden noise tests pin this down.
 */
final class NormalFill16 {
  private static final float TWO_PI = (float) (2.0 * Math.PI);
  private static final float SQRT_HALF = (float) 0.707106781186547524;
  private static final float[] LOG_POLY = {
      (float) 7.0376836292E-2, (float) -1.1514610310E-1, (float) 1.1676998740E-1, (float) -1.2420140846E-1,
      (float) 1.4249322787E-1, (float) -1.6668057665E-1, (float) 2.0000714765E-1, (float) -2.4999993993E-1,
      (float) 3.3333331174E-1};
  private static final float LN2_LO = (float) -2.12194440e-4;
  private static final float LN2_HI = (float) 0.693359375;
  private static final float FOUR_OVER_PI = (float) 1.27323954473516;
  private static final float DP1 = (float) -0.78515625;
  private static final float DP2 = (float) -2.4187564849853515625e-4;
  private static final float DP3 = (float) -3.77489497744594108e-8;
  private static final float SIN0 = (float) -1.9515295891E-4;
  private static final float SIN1 = (float) 8.3321608736E-3;
  private static final float SIN2 = (float) -1.6666654611E-1;
  private static final float COS0 = (float) 2.443315711809948E-005;
  private static final float COS1 = (float) -1.388731625493765E-003;
  private static final float COS2 = (float) 4.166664568298827E-002;

  private NormalFill16() {}

  /** Turns data[offset..offset+16) from uniforms in [0,1) into standard normals, in place. */
  static void fill(float[] data, int offset) {
    for (int j = offset; j < offset + 8; j++) {
      float radius = (float) Math.sqrt(-2.0f * log(1.0f - data[j]));
      float theta = TWO_PI * data[j + 8];
      long sinCos = sinCos(theta);
      data[j] = radius * Float.intBitsToFloat((int) sinCos);
      data[j + 8] = radius * Float.intBitsToFloat((int) (sinCos >>> 32));
    }
  }

  /** Cephes logf for x in (0, 1]: x = m 2^e with m in [sqrt(1/2), sqrt(2)), log(1+f) by a degree-9 polynomial. */
  static float log(float x) {
    int bits = Float.floatToRawIntBits(Math.max(x, Float.MIN_NORMAL));
    float e = (float) ((bits >>> 23) - 0x7f) + 1.0f;
    float m = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000); // mantissa scaled to [0.5, 1)
    float f;
    if (m < SQRT_HALF) {
      e -= 1.0f;
      f = (m - 1.0f) + m;
    } else {
      f = m - 1.0f;
    }
    float z = f * f;
    float y = LOG_POLY[0];
    for (int i = 1; i < LOG_POLY.length; i++) {
      y = Math.fma(y, f, LOG_POLY[i]);
    }
    y = y * f;
    y = Math.fma(y, z, e * LN2_LO);
    y = Math.fma(-z, 0.5f, y);
    return Math.fma(e, LN2_HI, f + y);
  }

  static float sin(float x) {
    return Float.intBitsToFloat((int) (sinCos(x) >>> 32));
  }

  static float cos(float x) {
    return Float.intBitsToFloat((int) sinCos(x));
  }

  /**
   * Cephes sinf/cosf together (as torch's sincos256_ps): reduce by multiples of pi/4 with a three-part pi, evaluate
   * both polynomials, pick by octant. Returns sin's float bits in the high half and cos's in the low half.
   */
  static long sinCos(float x) {
    float ax = Math.abs(x);
    int octant = ((int) (ax * FOUR_OVER_PI) + 1) & ~1;
    float y = octant;
    float r = Math.fma(y, DP1, ax);
    r = Math.fma(y, DP2, r);
    r = Math.fma(y, DP3, r);
    float z = r * r;
    float cosPoly = Math.fma(Math.fma(COS0, z, COS1), z, COS2) * z;
    cosPoly = Math.fma(cosPoly, z, -(z * 0.5f)) + 1.0f;
    float sinPoly = Math.fma(Math.fma(SIN0, z, SIN1), z, SIN2) * z;
    sinPoly = Math.fma(sinPoly, r, r);
    boolean swapPoly = (octant & 2) != 0;
    float sin = swapPoly ? cosPoly : sinPoly;
    float cos = swapPoly ? sinPoly : cosPoly;
    if ((x < 0) ^ ((octant & 4) != 0)) {
      sin = -sin;
    }
    if (((octant - 2) & 4) == 0) {
      cos = -cos;
    }
    return ((long) Float.floatToRawIntBits(sin) << 32) | (Float.floatToRawIntBits(cos) & 0xffffffffL);
  }
}
