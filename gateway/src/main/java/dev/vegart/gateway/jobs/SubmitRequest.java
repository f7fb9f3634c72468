package dev.vegart.gateway.jobs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.common.job.Decoder;
import dev.vegart.common.job.OutputFormat;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.webhooks.WebhookSubscription;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code POST /v1/jobs} body. {@link #parse} reports every invalid field at once, each with its
 * allowed values, as a 400 problem.
 */
public record SubmitRequest(String prompt, int steps, long seed, int width, int height, int numImages,
    OutputFormat outputFormat, Decoder decoder, Integer cancelAfterSeconds, WebhookSubscription webhook) {

  public static final int MAX_PROMPT_CHARS = 2000;
  public static final long MAX_SEED = (1L << 53) - 1;
  /** The longest {@code cancel_after_seconds}: a day. */
  public static final int MAX_CANCEL_AFTER_SECONDS = 86_400;
  static final Set<String> FIELDS = Set.of("prompt", "num_inference_steps", "seed", "width", "height",
      "num_images", "output_format", "decoder", "cancel_after_seconds", "webhook_url", "webhook_events");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper STRICT = new ObjectMapper();

  static {
    STRICT.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  /** When the job expires if not started by then: {@code submittedAt + cancel_after_seconds}, or null. */
  public java.time.Instant deadline(java.time.Instant submittedAt) {
    return cancelAfterSeconds == null ? null : submittedAt.plusSeconds(cancelAfterSeconds);
  }

  /** Reads the raw body strictly (duplicate keys and trailing garbage refused). */
  public static ObjectNode readObject(String body) {
    if (body == null || body.isBlank()) {
      throw ProblemException.invalid(List.of(FieldError.of("body", "is empty; send a JSON object")));
    }
    try {
      JsonNode node = STRICT.readTree(body);
      if (node == null || !node.isObject()) {
        throw ProblemException.invalid(List.of(FieldError.of("body", "must be a JSON object")));
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw ProblemException.of(400, "malformed-json", "Malformed JSON", "the body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  public static SubmitRequest parse(ObjectNode body, JobLimits limits) {
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError(name, "unknown field", List.copyOf(new java.util.TreeSet<>(FIELDS))));
      }
    }
    String prompt = prompt(body.get("prompt"), errors);
    int steps = intField(body, "num_inference_steps", limits.defaultSteps(), 1, 8, errors);
    long seed = seed(body.get("seed"), errors);
    int numImages = intField(body, "num_images", 1, 1, 4, errors);
    ImageSize size = size(body, limits, errors);
    OutputFormat format = enumField(body, "output_format", OutputFormat.PNG, OutputFormat::parse,
        Arrays.stream(OutputFormat.values()).map(OutputFormat::wire).toList(), errors);
    Decoder decoder = enumField(body, "decoder", Decoder.FULL, Decoder::parse,
        Arrays.stream(Decoder.values()).map(Decoder::wire).toList(), errors);
    Integer cancelAfter = body.hasNonNull("cancel_after_seconds")
        ? intField(body, "cancel_after_seconds", 0, 1, MAX_CANCEL_AFTER_SECONDS, errors) : null;
    WebhookSubscription webhook = WebhookSubscription.parse(body, errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return new SubmitRequest(prompt, steps, seed, size.width(), size.height(), numImages, format, decoder, cancelAfter, webhook);
  }

  private static String prompt(JsonNode node, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      errors.add(FieldError.of("prompt", "is required: a string of 1 to " + MAX_PROMPT_CHARS + " characters"));
      return null;
    }
    if (!node.isTextual()) {
      errors.add(FieldError.of("prompt", "must be a string of 1 to " + MAX_PROMPT_CHARS + " characters"));
      return null;
    }
    String text = node.textValue();
    int chars = text.codePointCount(0, text.length());
    if (text.isBlank() || chars > MAX_PROMPT_CHARS) {
      errors.add(FieldError.of("prompt", "must have 1 to " + MAX_PROMPT_CHARS + " characters (not only spaces), got " + chars));
      return null;
    }
    if (text.indexOf('\0') >= 0) {
      // PostgreSQL's jsonb refuses U+0000: recording the job would fail.
      errors.add(FieldError.of("prompt", "must not contain NUL (U+0000)"));
      return null;
    }
    return text;
  }

  private static int intField(ObjectNode body, String name, int defaultValue, int min, int max, List<FieldError> errors) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
      errors.add(new FieldError(name, "must be an integer from " + min + " to " + max, max - min < 16 ? range(min, max) : List.of()));
      return defaultValue;
    }
    return node.intValue();
  }

  private static long seed(JsonNode node, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      return RANDOM.nextLong(MAX_SEED + 1);
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0 || node.longValue() > MAX_SEED) {
      errors.add(FieldError.of("seed", "must be an integer from 0 to " + MAX_SEED));
      return 0;
    }
    return node.longValue();
  }

  private static ImageSize size(ObjectNode body, JobLimits limits, List<FieldError> errors) {
    ImageSize fallback = limits.defaultSize();
    JsonNode w = body.get("width");
    JsonNode h = body.get("height");
    int width = w == null || w.isNull() ? fallback.width() : w.isIntegralNumber() && w.canConvertToInt() ? w.intValue() : -1;
    int height = h == null || h.isNull() ? fallback.height() : h.isIntegralNumber() && h.canConvertToInt() ? h.intValue() : -1;
    ImageSize size = new ImageSize(width, height);
    if (!limits.sizes().contains(size)) {
      List<Object> allowed = limits.sizes().stream().map(s -> (Object) s.toString()).toList();
      String got = (w == null ? "(default)" : w.toString()) + "x" + (h == null ? "(default)" : h.toString());
      errors.add(new FieldError(w != null ? "width" : "height", "width x height must be one of the supported sizes, got " + got, allowed));
      return fallback;
    }
    return size;
  }

  private static <T> T enumField(ObjectNode body, String name, T defaultValue,
      java.util.function.Function<String, java.util.Optional<T>> parser, List<String> allowed, List<FieldError> errors) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    java.util.Optional<T> value = node.isTextual() ? parser.apply(node.textValue()) : java.util.Optional.empty();
    if (value.isEmpty()) {
      errors.add(new FieldError(name, "must be one of " + String.join(", ", allowed), List.copyOf(allowed)));
      return defaultValue;
    }
    return value.get();
  }

  private static List<Object> range(int min, int max) {
    List<Object> out = new ArrayList<>();
    for (int i = min; i <= max; i++) {
      out.add(i);
    }
    return out;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
