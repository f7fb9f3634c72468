package dev.vegart.stack.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The routes the gateway registers, read from its sources: every {@code ROUTER.get|post|put|patch|delete|route(PATH)}
 * call whose path (a literal, or a {@code static final String} of the same file) starts with {@code /}. Read from the
 * sources because the routers are built inside {@code HttpVerticle.start} and a running gateway does not expose them.
 *
 * @param file the source file's name
 * @param receiver the router variable the route is registered on ({@code v1} for the {@code /v1} sub-router)
 * @param method the HTTP method in upper case, {@code *} for {@code route(...)}
 * @param path the path as Vert.x writes it ({@code /jobs/:id})
 */
record MountedRoute(String file, String receiver, String method, String path) {
  private static final Pattern CALL =
      Pattern.compile("\\b(\\w+)\\s*\\.\\s*(get|post|put|patch|delete|route)\\(\\s*(\"[^\"]*\"|[A-Z][A-Z0-9_]*)\\s*\\)");
  private static final Pattern CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"");

  /** Every route registration in the gateway's main sources. */
  static List<MountedRoute> ofGateway() {
    Path sources = gatewaySources();
    List<MountedRoute> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        out.addAll(in(file.getFileName().toString(), Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<MountedRoute> in(String file, String source) {
    Map<String, String> constants = new HashMap<>();
    Matcher c = CONSTANT.matcher(source);
    while (c.find()) {
      constants.put(c.group(1), c.group(2));
    }
    List<MountedRoute> out = new ArrayList<>();
    Matcher m = CALL.matcher(source);
    while (m.find()) {
      String arg = m.group(3);
      String path = arg.startsWith("\"") ? arg.substring(1, arg.length() - 1) : constants.get(arg);
      if (path != null && path.startsWith("/")) {
        String method = m.group(2).equals("route") ? "*" : m.group(2).toUpperCase(Locale.ROOT);
        out.add(new MountedRoute(file, m.group(1), method, path));
      }
    }
    return out;
  }

  /** The full paths this route may have, in the document's form ({@code /v1/jobs/{id}}). */
  List<String> documentedForms() {
    String template = path.replaceAll(":(\\w+)", "{$1}");
    // Route classes take the /v1 sub-router as a parameter named v1; AdminRoutes builds the /admin/v1 one itself.
    return receiver.equals("v1") ? List.of("/v1" + template) : List.of(template, "/admin/v1" + template);
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + receiver + " in " + file + ")";
  }

  private static Path gatewaySources() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("gateway/src/main/java/dev/vegart/gateway");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("the gateway's sources (gateway/src/main/java) are not above " + Path.of("").toAbsolutePath());
  }
}
