package dev.vegart.gateway.openapi;

import dev.vegart.gateway.jobs.ImageSize;
import dev.vegart.gateway.jobs.JobLimits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of the public API, a hand-written resource kept in step
 * with the routes by {@code OpenApiContractIT}, which checks live responses against it. The sizes this gateway
 * accepts ({@code VEGART_SIZES}) are filled in at startup: {@code x-vegart-sizes} and the width/height enums.
 * No authentication.
 */
public final class OpenApiRoutes {
  public static final String RESOURCE = "/openapi/openapi.json";
  private final Buffer document;

  public OpenApiRoutes(JobLimits limits) {
    JsonObject doc;
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the classpath");
      }
      doc = new JsonObject(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    withSizes(schemas.getJsonObject("SubmitRequest"), "width", "height", limits);
    withSizes(schemas.getJsonObject("SegmindRequest"), "img_width", "img_height", limits);
    document = doc.toBuffer();
  }

  private static void withSizes(JsonObject schema, String widthField, String heightField, JobLimits limits) {
    List<ImageSize> sizes = limits.sizes();
    schema.put("x-vegart-sizes", new JsonArray(sizes.stream().map(ImageSize::toString).toList()));
    JsonObject props = schema.getJsonObject("properties");
    props.getJsonObject(widthField).put("enum", new JsonArray(sizes.stream().map(ImageSize::width).distinct().sorted().toList()))
        .put("default", limits.defaultSize().width());
    props.getJsonObject(heightField).put("enum", new JsonArray(sizes.stream().map(ImageSize::height).distinct().sorted().toList()))
        .put("default", limits.defaultSize().height());
  }

  public void mount(Router router) {
    router.get("/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(document));
  }
}
