package dev.vegart.stack.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code vegart generate "PROMPT" [options]}: submits a job, shows its progress on standard error, downloads the
 * images (checking their SHA-256) and prints each written path on standard output.
 */
final class GenerateCommand {
  static final String USAGE = """
      usage: vegart generate "PROMPT" [--steps 1..8] [--seed N] [--size WxH] [--images 1..4]
                             [--format png|jpeg|webp] [--fast] [-o FILE] [--timeout SECONDS]
        -o FILE     where to write the image (default JOB_ID.FORMAT); with --images N > 1, FILE-0.png, FILE-1.png ...
                    the format follows FILE's extension unless --format is given
        --fast      use the fast (tiny) decoder
      env: VEGART_URL (default http://127.0.0.1:8080), VEGART_API_KEY (required)
      """;
  private static final Set<String> VALUED =
      Set.of("--steps", "--seed", "--size", "--images", "--format", "--output", "--timeout");

  private final ApiClient api;
  private final Path workDir;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  GenerateCommand(ApiClient api, Path workDir, PrintStream out, PrintStream err, boolean interactive) {
    this.api = api;
    this.workDir = workDir;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  /** Parses {@code argv} into the submit body and the output path (null: JOB_ID.FORMAT); usage errors throw. */
  record Request(JsonObject body, String output, Duration timeout) {}

  static Request parse(String[] argv) {
    Args args = Args.parse(argv, VALUED, Set.of("--fast"), Map.of("-o", "--output"));
    if (args.positionals().size() != 1 || args.positionals().get(0).isBlank()) {
      throw new CliException(Exit.USAGE, "give exactly one prompt (quote it)\n" + USAGE);
    }
    JsonObject body = new JsonObject().put("prompt", args.positionals().get(0));
    Integer steps = args.integer("--steps", null, 1, 8);
    if (steps != null) {
      body.put("num_inference_steps", steps);
    }
    Long seed = args.number("--seed", 0, 9_007_199_254_740_991L);
    if (seed != null) {
      body.put("seed", seed);
    }
    String size = args.option("--size");
    if (size != null) {
      String[] wh = size.toLowerCase(Locale.ROOT).split("x");
      try {
        if (wh.length != 2) {
          throw new NumberFormatException();
        }
        body.put("width", Integer.parseInt(wh[0].trim())).put("height", Integer.parseInt(wh[1].trim()));
      } catch (NumberFormatException e) {
        throw new CliException(Exit.USAGE, "--size must look like 1024x1024, got '" + size + "'");
      }
    }
    Integer images = args.integer("--images", null, 1, 4);
    if (images != null) {
      body.put("num_images", images);
    }
    String output = args.option("--output");
    String format = args.option("--format");
    if (format == null && output != null) {
      format = formatOf(output);
    }
    if (format != null) {
      format = format.toLowerCase(Locale.ROOT);
      if (!Set.of("png", "jpeg", "webp").contains(format)) {
        throw new CliException(Exit.USAGE, "--format must be png, jpeg or webp, got '" + format + "'");
      }
      body.put("output_format", format);
    }
    if (args.flag("--fast")) {
      body.put("decoder", "fast");
    }
    int timeout = args.integer("--timeout", 600, 1, 86_400);
    return new Request(body, output, Duration.ofSeconds(timeout));
  }

  private static String formatOf(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return "jpeg";
    }
    if (lower.endsWith(".webp")) {
      return "webp";
    }
    return lower.endsWith(".png") ? "png" : null;
  }

  int run(String[] argv) {
    Request request = parse(argv);
    JsonObject accepted = api.json("POST", "/v1/jobs", request.body());
    String id = accepted.getString("id");
    ProgressLine progress = new ProgressLine(err, interactive, id);
    progress.job(accepted);
    JsonObject job;
    try {
      job = JobWatcher.TERMINAL.contains(accepted.getString("status")) ? accepted
          : new JobWatcher(api).await(id, progress, request.timeout());
    } finally {
      progress.close();
    }
    if (!"succeeded".equals(job.getString("status"))) {
      JsonObject error = job.getJsonObject("error", new JsonObject());
      throw new CliException(Exit.JOB_UNSUCCESSFUL, "job " + id + " " + job.getString("status") + ": "
          + error.getString("message", error.getString("code", "no reason given")));
    }
    for (Path written : save(job, request.output())) {
      out.println(written);
    }
    err.println("seed " + job.getLong("seed") + " (image i uses seed + i); job " + id);
    return Exit.OK;
  }

  private List<Path> save(JsonObject job, String output) {
    JsonArray images = job.getJsonArray("images");
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      JsonObject image = images.getJsonObject(i);
      byte[] bytes = api.download(image.getString("url"));
      String sha = image.getString("sha256");
      if (sha != null && !sha.equalsIgnoreCase(sha256(bytes))) {
        throw new CliException(Exit.UNAVAILABLE, "image " + i + " of job " + job.getString("id") + " arrived damaged (SHA-256 mismatch)");
      }
      Path target = workDir.resolve(target(job, image, output, images.size()));
      try {
        if (target.getParent() != null) {
          Files.createDirectories(target.getParent());
        }
        Files.write(target, bytes);
      } catch (IOException e) {
        throw new CliException(Exit.LOCAL_IO, "cannot write " + target + ": " + e.getMessage());
      }
      written.add(target);
    }
    return written;
  }

  /** {@code output}, or JOB_ID.FORMAT; with several images an index goes before the extension. */
  static String target(JsonObject job, JsonObject image, String output, int count) {
    String ext = "." + ("jpeg".equals(image.getString("format")) ? "jpg" : image.getString("format"));
    String name = output == null ? job.getString("id") + ext : output;
    if (count == 1) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    boolean hasExt = dot > Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return (hasExt ? name.substring(0, dot) : name) + "-" + image.getInteger("index") + (hasExt ? name.substring(dot) : ext);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
