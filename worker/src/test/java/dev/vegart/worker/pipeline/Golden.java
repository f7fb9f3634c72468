package dev.vegart.worker.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Golden vectors written by deploy/model/golden.py (Python reference over models/tiny-random). */
final class Golden {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Golden() {}

  static JsonNode read(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing golden file " + name + ": run deploy/model/golden.py");
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The committed tiny model, from the worker module's directory (Surefire's working directory) or the root. */
  static Path tinyModel() {
    for (Path p : new Path[] {Path.of("..", "models", "tiny-random"), Path.of("models", "tiny-random")}) {
      if (Files.isRegularFile(p.resolve("manifest.json"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("models/tiny-random not found from " + Path.of("").toAbsolutePath());
  }

  static float[] floats(JsonNode list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) list.get(i).asDouble();
    }
    return out;
  }

  static long[] longs(JsonNode list) {
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).asLong();
    }
    return out;
  }

  /** SHA-256 of the float32 little-endian bytes, as golden.py summarises large arrays. */
  static String sha256(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buffer.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
