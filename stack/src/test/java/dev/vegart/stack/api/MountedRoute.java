package dev.vegart.stack.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A route the running gateway mounts, read from its router and sub-routers.
 *
 * @param method the HTTP method, {@code *} for a route of any method
 * @param path the full path as Vert.x writes it ({@code /v1/jobs/:id}); a prefix route ends in {@code *}
 */
record MountedRoute(String method, String path) {
  /** Every route with a path; routes without one (body limits, guards, authentication) serve every request. */
  static List<MountedRoute> of(Router router) {
    List<MountedRoute> out = new ArrayList<>();
    walk(router, "", out);
    return out;
  }

  private static void walk(Router router, String prefix, List<MountedRoute> out) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null) {
        continue;
      }
      String full = prefix + (prefix.endsWith("/") && path.startsWith("/") ? path.substring(1) : path);
      if (route.getSubRouter() != null) {
        walk(route.getSubRouter(), full.endsWith("/") ? full.substring(0, full.length() - 1) : full, out);
        continue;
      }
      String shown = route.isExactPath() ? full : full + "*";
      Set<HttpMethod> methods = route.methods();
      if (methods == null || methods.isEmpty()) {
        out.add(new MountedRoute("*", shown));
      } else {
        methods.forEach(m -> out.add(new MountedRoute(m.name(), shown)));
      }
    }
  }

  /** The path in the document's form ({@code /v1/jobs/{id}}). */
  String documentedForm() {
    return path.replaceAll(":(\\w+)", "{$1}");
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
