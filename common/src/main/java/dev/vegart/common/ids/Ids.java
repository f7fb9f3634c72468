package dev.vegart.common.ids;

import java.security.SecureRandom;
import java.time.Clock;

/** Identifiers: time-ordered (48-bit milliseconds then 80 random bits, Crockford base32 like ULID) with a type prefix. */
public final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String job() {
    return "job_" + ulid(Clock.systemUTC().millis());
  }

  public static String key() {
    return "key_" + ulid(Clock.systemUTC().millis());
  }

  /** A random token of {@code bytes} random bytes in base32, for secrets. */
  public static String secret(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    StringBuilder s = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte x : b) {
      buffer = (buffer << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        s.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      s.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return s.toString();
  }

  static String ulid(long millis) {
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    byte[] r = new byte[10];
    RANDOM.nextBytes(r);
    long hi = 0;
    for (int i = 0; i < 5; i++) {
      hi = (hi << 8) | (r[i] & 0xff);
    }
    long lo = 0;
    for (int i = 5; i < 10; i++) {
      lo = (lo << 8) | (r[i] & 0xff);
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }
}
