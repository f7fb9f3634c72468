package dev.vegart.stack.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * {@code vegart keys create|list|revoke}: the operator's key management through {@code /admin/v1/keys}. A created
 * key is printed once, as JSON on standard output (it cannot be read back later).
 */
final class KeysCommand {
  static final String USAGE = """
      usage: vegart keys create [--tier TIER] [--name NAME]
             vegart keys list
             vegart keys revoke KEY_ID
      env: VEGART_URL (default http://127.0.0.1:8080), VEGART_ADMIN_TOKEN (required)
      """;

  private final ApiClient api;
  private final PrintStream out;
  private final PrintStream err;

  KeysCommand(ApiClient api, PrintStream out, PrintStream err) {
    this.api = api;
    this.out = out;
    this.err = err;
  }

  int run(String[] argv) {
    Args args = Args.parse(argv, Set.of("--tier", "--name"), Set.of(), Map.of());
    String sub = args.positionals().isEmpty() ? "" : args.positionals().get(0);
    return switch (sub) {
      case "create" -> {
        expect(args, 1);
        JsonObject body = new JsonObject();
        if (args.option("--tier") != null) {
          body.put("tier", args.option("--tier"));
        }
        if (args.option("--name") != null) {
          body.put("name", args.option("--name"));
        }
        JsonObject created = api.json("POST", "/admin/v1/keys", body);
        out.println(created.encodePrettily());
        err.println("keep the key now: it is stored hashed and cannot be shown again");
        yield Exit.OK;
      }
      case "list" -> {
        expect(args, 1);
        list();
        yield Exit.OK;
      }
      case "revoke" -> {
        expect(args, 2);
        String id = args.positionals().get(1);
        HttpResponse<String> r = api.send("DELETE", "/admin/v1/keys/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
        if (r.statusCode() / 100 != 2) {
          throw ApiClient.problem(r);
        }
        out.println("revoked " + id);
        yield Exit.OK;
      }
      default -> throw new CliException(Exit.USAGE, USAGE.strip());
    };
  }

  private static void expect(Args args, int positionals) {
    if (args.positionals().size() != positionals) {
      throw new CliException(Exit.USAGE, USAGE.strip());
    }
  }

  /** A table of every key, following the pages. */
  private void list() {
    out.printf("%-28s %-10s %8s  %-20s  %-20s  %s%n", "ID", "TIER", "TODAY", "CREATED", "REVOKED", "NAME");
    String after = null;
    do {
      JsonObject page = api.json("GET", "/admin/v1/keys?limit=500"
          + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)), null);
      JsonArray keys = page.getJsonArray("keys", new JsonArray());
      for (int i = 0; i < keys.size(); i++) {
        JsonObject k = keys.getJsonObject(i);
        out.printf("%-28s %-10s %8s  %-20s  %-20s  %s%n", k.getString("id"), k.getString("tier"),
            k.getValue("used_today", "-"), seconds(k.getString("created_at")), seconds(k.getString("revoked_at")),
            k.getString("name") == null ? "" : k.getString("name"));
      }
      after = page.getString("next_after");
    } while (after != null);
  }

  private static String seconds(String instant) {
    if (instant == null) {
      return "-";
    }
    int dot = instant.indexOf('.');
    return dot > 0 ? instant.substring(0, dot) + "Z" : instant;
  }
}
