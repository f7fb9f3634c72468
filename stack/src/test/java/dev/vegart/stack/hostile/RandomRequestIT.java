package dev.vegart.stack.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random methods on random paths (the real routes with segments replaced, dot segments, doubled slashes,
 * percent-encodings, pure noise), with no, wrong, key or admin credentials: always a safe answer; without valid
 * credentials only a read of the public pages may succeed, and no answer ever carries the target's job or key.
 */
class RandomRequestIT {
  enum Credentials { NONE, WRONG_KEY, WRONG_ADMIN, KEY, ADMIN }

  private static final List<String> SEGMENTS = List.of("v1", "admin", "jobs", "keys", "usage", "images", "events",
      "webhook-deliveries", "redeliver", "webhook-secret", "rotate", "segmind-vega-rt-v1", "health", "ready", "live",
      "metrics", "openapi.json", "..", ".", "%2e%2e", "%2F", "%00", "%ff", "0", "-1", "99999999999999999999", "job_",
      "key_", "*", "index.html", "app.js", "%252e%252e", ";x=1", "~", "\\", "a".repeat(300));

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.oneOf(
        Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT", "get", "PROPFIND"),
        Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(12));
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.of(SEGMENTS),
        Arbitraries.strings().withChars("abcxyz019-_.~%!$&'()*+,;=:@").ofMaxLength(16));
    Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(Endpoint.ALL), Arbitraries.integers().between(0, 6), segment)
        .as((route, at, replacement) -> {
          String[] parts = Target.get().path(route).split("/", -1);
          int i = 1 + at % Math.max(1, parts.length - 1);
          if (i < parts.length) {
            parts[i] = replacement;
          }
          return String.join("/", parts);
        });
    Arbitrary<String> built = segment.list().ofMinSize(1).ofMaxSize(7).map(s -> "/" + String.join("/", s));
    Arbitrary<String> doubled = Arbitraries.of(Endpoint.ALL).map(r -> Target.get().path(r).replace("/", "//"));
    return Arbitraries.oneOf(mutated, built, doubled,
        Arbitraries.of(Endpoint.ALL).map(r -> Target.get().path(r) + "/"),
        Arbitraries.of(Endpoint.ALL).map(r -> Target.get().path(r).toUpperCase(java.util.Locale.ROOT)));
  }

  @Property(tries = 250)
  void randomRequestsGetSafeAnswers(@ForAll("methods") String method, @ForAll("paths") String path, @ForAll Credentials who) {
    Target t = Target.get();
    List<byte[]> lines = switch (who) {
      case NONE -> List.of();
      case WRONG_KEY -> List.of(RawHttp.line("x-api-key", "vr_" + "0".repeat(39)));
      case WRONG_ADMIN -> List.of(RawHttp.line("Authorization", "Bearer " + t.stack.adminToken() + "x"));
      case KEY -> List.of(RawHttp.line("x-api-key", t.key));
      case ADMIN -> List.of(RawHttp.line("Authorization", "Bearer " + t.stack.adminToken()));
    };
    RawHttp.Response r = t.raw.send(method, path.getBytes(StandardCharsets.UTF_8), lines, null);
    String what = method + " " + path + " as " + who;
    boolean authorized = who == Credentials.KEY || who == Credentials.ADMIN;
    SafeAnswer.assertSafe(r, authorized ? anySuccess() : publicReads(method), method, what);
    if (!authorized) {
      assertThat(r.bodyText()).as("no job or key data in the answer to %s", what).doesNotContain(t.jobId).doesNotContain(t.spareKeyId);
    }
  }

  private static Set<Integer> anySuccess() {
    Set<Integer> all = new HashSet<>();
    Endpoint.ALL.forEach(e -> all.addAll(e.success()));
    return all;
  }

  /** Without credentials only the public pages (health, OpenAPI, metrics, playground) may be read. */
  private static Set<Integer> publicReads(String method) {
    return method.equals("GET") ? Set.of(200, 304) : Set.of();
  }
}
