package dev.vegart.stack.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** {@code vegart jobs get ID}: prints the job as the API renders it (pretty JSON, fresh image URLs). */
final class JobsCommand {
  static final String USAGE = """
      usage: vegart jobs get JOB_ID
      env: VEGART_URL (default http://127.0.0.1:8080), VEGART_API_KEY (required)
      """;

  private final ApiClient api;
  private final PrintStream out;

  JobsCommand(ApiClient api, PrintStream out) {
    this.api = api;
    this.out = out;
  }

  int run(String[] argv) {
    Args args = Args.parse(argv, Set.of(), Set.of(), Map.of());
    if (args.positionals().size() != 2 || !args.positionals().get(0).equals("get")) {
      throw new CliException(Exit.USAGE, USAGE.strip());
    }
    String id = args.positionals().get(1);
    JsonObject job = api.json("GET", "/v1/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
    out.println(job.encodePrettily());
    return Exit.OK;
  }
}
