package dev.vegart.stack.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Bodies a hostile client sends where JSON is expected, as raw bytes (so duplicate keys, lone surrogate escapes
 * and invalid UTF-8 survive): random JSON trees with wrong types and out-of-range numbers, a valid request with
 * one field broken, truncated JSON, deep nesting, duplicate keys, invalid UTF-8 inside strings, random bytes.
 */
final class HostileJson {
  /** Field names of every JSON body the gateway reads, so random objects hit real validation paths. */
  static final List<String> FIELDS = List.of("prompt", "num_inference_steps", "seed", "width", "height", "num_images",
      "output_format", "decoder", "cancel_after_seconds", "webhook_url", "webhook_events", "img_width", "img_height",
      "base64", "samples", "tier", "name", "previous_secret_valid_seconds");
  /** The cheapest valid job (64x64, one step), so bodies that happen to be valid cost the worker little. */
  static final String VALID_JOB = "{\"prompt\": \"a red cube\", \"num_inference_steps\": 1, \"width\": 64, \"height\": 64, "
      + "\"seed\": 7, \"num_images\": 1}";
  /** Values no field accepts in this position: wrong types, out of range, huge, malformed numbers. */
  static final List<String> BROKEN_VALUES = List.of("-1", "0", "1e999", "-1e999", "1e-999", "123456789012345678901234567890",
      "9223372036854775808", "-9223372036854775809", "2.5", "-0.0", "\"\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"",
      "\"\\udc00x\"", "[]", "{}", "[[[[]]]]", "true", "\"" + "x".repeat(5000) + "\"", "\"\\r\\nX-Injected: 1\"",
      "\"https://169.254.169.254/latest/meta-data\"", "\"file:///etc/passwd\"", "\"http://[::1]:1/\"", "\"NaN\"");
  private static final List<byte[]> INVALID_UTF8 = List.of(
      new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xa0, (byte) 0xa1}, new byte[] {(byte) 0xe2, 0x28, (byte) 0xa1},
      new byte[] {(byte) 0xf0, 0x28, (byte) 0x8c, (byte) 0xbc}, new byte[] {(byte) 0xc0, (byte) 0xaf},
      new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xfe, (byte) 0xff},
      new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {0x00});

  private HostileJson() {}

  static Arbitrary<byte[]> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, trees().map(HostileJson::utf8)),
        net.jqwik.api.Tuple.of(4, brokenValid().map(HostileJson::utf8)),
        net.jqwik.api.Tuple.of(2, truncated().map(HostileJson::utf8)),
        net.jqwik.api.Tuple.of(2, deeplyNested().map(HostileJson::utf8)),
        net.jqwik.api.Tuple.of(2, duplicateKeys().map(HostileJson::utf8)),
        net.jqwik.api.Tuple.of(3, invalidUtf8()),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(2000)));
  }

  /** Random JSON values up to depth 4, mostly objects with known field names. */
  static Arbitrary<String> trees() {
    return Arbitraries.recursive(HostileJson::leaf, HostileJson::container, 0, 4);
  }

  private static Arbitrary<String> leaf() {
    return Arbitraries.oneOf(
        Arbitraries.of(BROKEN_VALUES),
        Arbitraries.of("null", "true", "false", "1", "4", "8", "100", "512", "1024", "\"png\"", "\"jpeg\"", "\"full\""),
        Arbitraries.longs().map(l -> Long.toString(l)),
        Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "0.5"),
        Arbitraries.strings().ofMaxLength(40).map(HostileJson::quote));
  }

  private static Arbitrary<String> container(Arbitrary<String> inner) {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(12));
    Arbitrary<String> member = Combinators.combine(names, inner).as((k, v) -> quote(k) + ": " + v);
    return Arbitraries.oneOf(
        member.list().ofMaxSize(6).map(m -> "{" + String.join(", ", m) + "}"),
        inner.list().ofMaxSize(5).map(m -> "[" + String.join(", ", m) + "]"));
  }

  /** A valid job with one known field set to a value from {@link #BROKEN_VALUES} (mostly invalid, a few odd but valid). */
  static Arbitrary<String> brokenValid() {
    return Combinators.combine(Arbitraries.of(FIELDS), Arbitraries.of(BROKEN_VALUES)).as((field, value) -> {
      java.util.Map<String, String> job = new java.util.LinkedHashMap<>();
      job.put("prompt", "\"a red cube\"");
      job.put("num_inference_steps", "1");
      job.put("width", "64");
      job.put("height", "64");
      job.put(field, value);
      StringBuilder b = new StringBuilder("{");
      job.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(quote(k)).append(": ").append(v));
      return b.append('}').toString();
    });
  }

  static Arbitrary<String> truncated() {
    return Arbitraries.integers().between(1, VALID_JOB.length() - 1).map(n -> VALID_JOB.substring(0, n));
  }

  static Arbitrary<String> deeplyNested() {
    return Combinators.combine(Arbitraries.integers().between(30, 20_000), Arbitraries.of("[", "{\"prompt\":"), Arbitraries.of(true, false))
        .as((depth, open, closed) -> {
          String close = open.equals("[") ? "]" : "}";
          String inner = open.repeat(depth) + "1";
          return closed ? inner + close.repeat(depth) : inner;
        });
  }

  static Arbitrary<String> duplicateKeys() {
    return Combinators.combine(Arbitraries.of(FIELDS), Arbitraries.of("1", "\"x\"", "4", "null"))
        .as((field, value) -> "{\"prompt\": \"a\", " + quote(field) + ": " + value + ", " + quote(field) + ": " + value + "}");
  }

  /** A valid-looking job whose prompt (or a key) carries bytes that are not UTF-8. */
  static Arbitrary<byte[]> invalidUtf8() {
    return Combinators.combine(Arbitraries.of(INVALID_UTF8), Arbitraries.of(true, false)).as((bad, inKey) -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes((inKey ? "{\"pro" : "{\"prompt\": \"a ").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(bad);
      out.writeBytes((inKey ? "mpt\": \"a\"}" : " cube\"}").getBytes(StandardCharsets.US_ASCII));
      return out.toByteArray();
    });
  }

  /** A JSON string literal; control characters escaped, everything else (lone surrogates too) kept. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else if (Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
