package dev.vegart.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code VEGART_*} names that appear in the main sources and resources of the other modules: the configuration
 * the code can read. A deployment file setting any other name configures nothing.
 */
final class CodeEnvNames {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern NAME = Pattern.compile("VEGART_[A-Z0-9_]*[A-Z0-9]");
  private static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", ".git", "vegart-data", "helm");
  private static Set<String> cached;

  private CodeEnvNames() {}

  static synchronized Set<String> readByCode() {
    if (cached == null) {
      cached = scan();
    }
    return cached;
  }

  private static Set<String> scan() {
    Set<String> names = new TreeSet<>();
    try {
      Files.walkFileTree(REPO, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return SKIPPED_DIRS.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          String name = file.toString();
          boolean source = name.endsWith(".java") && name.contains("/src/main/java/");
          boolean resource = name.contains("/src/main/resources/"); // logback.xml reads VEGART_LOG_FORMAT
          if (source || resource) {
            names.addAll(namesIn(Files.readString(file)));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (names.isEmpty()) {
      throw new IllegalStateException("no VEGART_ names found under " + REPO + ": run the tests from the helm module");
    }
    return Set.copyOf(names);
  }

  static Set<String> namesIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
