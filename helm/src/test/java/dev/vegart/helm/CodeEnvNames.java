package dev.vegart.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code VEGART_*} names that appear in the main Java sources of the other modules: the configuration
 * the code can read. A deployment file setting any other name configures nothing.
 */
final class CodeEnvNames {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern NAME = Pattern.compile("VEGART_[A-Z0-9_]*[A-Z0-9]");

  private CodeEnvNames() {}

  static Set<String> readByCode() {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(REPO)) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> !p.startsWith(REPO.resolve("helm")))
          .forEach(p -> names.addAll(namesIn(read(p))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  static Set<String> namesIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
