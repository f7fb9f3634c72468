package dev.vegart.stack.cli;

import dev.vegart.common.config.Env;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The API client commands of {@code vegart}: {@code generate}, {@code jobs get}, {@code keys create|list|revoke}.
 * Results go to standard output, progress and messages to standard error, and the exit code says what happened
 * ({@link Exit}). Configured by {@code VEGART_URL} (default {@code http://127.0.0.1:8080}), {@code VEGART_API_KEY}
 * and, for keys, {@code VEGART_ADMIN_TOKEN}; relative output paths resolve against {@code VEGART_CWD} when the
 * {@code ./vegart} script set it (it changes directory to the repository), else the current directory.
 */
public final class Cli {
  public static final Set<String> COMMANDS = Set.of("generate", "jobs", "keys");
  public static final String USAGE_LINES = """
        generate "PROMPT"  make an image on a running gateway (VEGART_URL, VEGART_API_KEY); --help for options
        jobs get ID        show a job (VEGART_URL, VEGART_API_KEY)
        keys create|list|revoke   manage API keys (VEGART_URL, VEGART_ADMIN_TOKEN)
      """;

  private Cli() {}

  /** Runs one command; returns its exit code. Never calls {@code System.exit}. */
  public static int run(String command, String[] args, Env env, PrintStream out, PrintStream err, boolean interactive) {
    try {
      if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
        out.print(usage(command));
        return Exit.OK;
      }
      String url = env.string("VEGART_URL", "http://127.0.0.1:8080");
      return switch (command) {
        case "generate" -> new GenerateCommand(new ApiClient(url, apiKey(env)), workDir(env), out, err, interactive).run(args);
        case "jobs" -> new JobsCommand(new ApiClient(url, apiKey(env)), out).run(args);
        case "keys" -> new KeysCommand(new ApiClient(url, adminToken(env)), out, err).run(args);
        default -> throw new CliException(Exit.USAGE, "unknown command " + command);
      };
    } catch (CliException e) {
      err.println("vegart " + command + ": " + e.getMessage());
      return e.exitCode();
    }
  }

  private static String usage(String command) {
    return switch (command) {
      case "generate" -> GenerateCommand.USAGE;
      case "jobs" -> JobsCommand.USAGE;
      default -> KeysCommand.USAGE;
    };
  }

  private static Map<String, String> apiKey(Env env) {
    String key = env.get("VEGART_API_KEY").filter(k -> !k.isBlank())
        .orElseThrow(() -> new CliException(Exit.USAGE, "set VEGART_API_KEY to your API key"));
    return Map.of("x-api-key", key);
  }

  private static Map<String, String> adminToken(Env env) {
    String token = env.get("VEGART_ADMIN_TOKEN").filter(k -> !k.isBlank())
        .orElseThrow(() -> new CliException(Exit.USAGE, "set VEGART_ADMIN_TOKEN to the gateway's admin token"));
    return Map.of("Authorization", "Bearer " + token);
  }

  private static Path workDir(Env env) {
    return Path.of(env.string("VEGART_CWD", "")).toAbsolutePath();
  }
}
