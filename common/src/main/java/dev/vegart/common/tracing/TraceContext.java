package dev.vegart.common.tracing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context position ({@code traceparent}: version, trace id, parent span id, flags). The gateway
 * takes it from the HTTP request (or starts a new trace), hands it to the worker in the Kafka record header
 * {@link #HEADER}, the worker passes it on with its events, and the webhook call carries it again: one trace
 * id from the client's request to the client's webhook. Immutable, thread-safe.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId 16 lowercase hex digits, not all zero: the span that sends this context on
 * @param sampled the {@code sampled} flag (bit 0 of trace-flags), kept as received
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {
  /** The HTTP and Kafka header name. */
  public static final String HEADER = "traceparent";

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern HEX2 = Pattern.compile("[0-9a-f]{2}");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  public TraceContext {
    if (!valid(traceId, spanId)) {
      throw new IllegalArgumentException("not a W3C trace id / span id pair: " + traceId + " / " + spanId);
    }
  }

  /** A new trace (what the gateway starts when a request carries no valid {@code traceparent}). */
  public static TraceContext newRoot() {
    return new TraceContext(randomHex(16), randomHex(8), true);
  }

  /** The same trace, a new span: what a component sends on after receiving this context. */
  public TraceContext child() {
    return new TraceContext(traceId, randomHex(8), sampled);
  }

  /** The header value, version 00. */
  public String traceparent() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  /** The header value as Kafka header bytes (US-ASCII). */
  public byte[] headerBytes() {
    return traceparent().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Parses a {@code traceparent} value by the W3C rules: version {@code ff} and all-zero ids are invalid,
   * version 00 must have exactly four fields, a later version may append fields (ignored). Empty on anything
   * invalid or null: the caller then starts a new trace, as the specification says.
   */
  public static Optional<TraceContext> parse(String value) {
    if (value == null || value.length() < 55) {
      return Optional.empty();
    }
    String v = value.strip();
    String[] parts = v.split("-", -1);
    if (parts.length < 4 || !HEX2.matcher(parts[0]).matches() || parts[0].equals("ff")) {
      return Optional.empty();
    }
    if (parts[0].equals("00") && parts.length != 4) {
      return Optional.empty();
    }
    if (!HEX2.matcher(parts[3]).matches() || !valid(parts[1], parts[2])) {
      return Optional.empty();
    }
    boolean sampled = (Integer.parseInt(parts[3], 16) & 1) == 1;
    return Optional.of(new TraceContext(parts[1], parts[2], sampled));
  }

  /** {@link #parse(String)} of a Kafka header value; empty when absent or not US-ASCII text. */
  public static Optional<TraceContext> fromHeaderBytes(byte[] value) {
    return value == null || value.length > 512 ? Optional.empty() : parse(new String(value, StandardCharsets.US_ASCII));
  }

  private static boolean valid(String traceId, String spanId) {
    return traceId != null && spanId != null && TRACE_ID.matcher(traceId).matches() && SPAN_ID.matcher(spanId).matches()
        && !traceId.equals(ZERO_TRACE) && !spanId.equals(ZERO_SPAN);
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    // Ids need to be unique, not secret: ThreadLocalRandom is enough and never blocks.
    do {
      ThreadLocalRandom.current().nextBytes(b);
    } while (allZero(b));
    return HexFormat.of().formatHex(b);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
