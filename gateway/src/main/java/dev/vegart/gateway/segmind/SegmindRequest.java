package dev.vegart.gateway.segmind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.gateway.http.FieldError;
import dev.vegart.gateway.http.ProblemException;
import dev.vegart.gateway.jobs.JobLimits;
import dev.vegart.gateway.jobs.SubmitRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated body of Segmind's {@code POST /v1/segmind-vega-rt-v1}: {@code prompt}, {@code num_inference_steps},
 * {@code seed}, {@code img_width}, {@code img_height}, {@code base64}. The same rules as {@code /v1/jobs}
 * (one JPEG image, Segmind's content type), with errors named by Segmind's field names.
 *
 * @param job the equivalent job request
 * @param base64 answer {@code {"image": "<base64>"}} instead of the bytes
 */
public record SegmindRequest(SubmitRequest job, boolean base64) {
  static final Set<String> FIELDS = Set.of("prompt", "num_inference_steps", "seed", "img_width", "img_height", "base64");
  private static final Map<String, String> RENAMED = Map.of("img_width", "width", "img_height", "height");

  public static SegmindRequest parse(ObjectNode body, JobLimits limits) {
    List<FieldError> errors = new ArrayList<>();
    ObjectNode translated = JsonNodeFactory.instance.objectNode();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError(name, "unknown field", List.copyOf(new TreeSet<>(FIELDS))));
      } else if (!name.equals("base64")) {
        translated.set(RENAMED.getOrDefault(name, name), body.get(name));
      }
    }
    JsonNode flag = body.get("base64");
    if (flag != null && !flag.isNull() && !flag.isBoolean()) {
      errors.add(new FieldError("base64", "must be true or false", List.of(true, false)));
    }
    translated.put("output_format", "jpeg");
    SubmitRequest job = null;
    try {
      job = SubmitRequest.parse(translated, limits);
    } catch (ProblemException e) {
      e.errors().forEach(err -> errors.add(new FieldError(segmindName(err.field()), err.message(), err.allowed())));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return new SegmindRequest(job, flag != null && flag.asBoolean(false));
  }

  private static String segmindName(String field) {
    return switch (field) {
      case "width" -> "img_width";
      case "height" -> "img_height";
      default -> field;
    };
  }
}
