package dev.vegart.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every value of values.yaml carries a {@code # --} comment (which documents its whole subtree) and is
 * listed in docs/KUBERNETES.md; a key without one must be a group of documented keys.
 */
class ValuesDocumentationTest {
  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_.-]+):(.*)$");

  record Key(String path, boolean documented, boolean hasInlineValue) {}

  @Test
  void everyValueIsCommentedAndListedInTheDocs() throws IOException {
    List<Key> keys = keys(Files.readAllLines(Chart.DIR.resolve("values.yaml")));
    String docs = Files.readString(CodeEnvNames.REPO.resolve("docs/KUBERNETES.md"));

    List<String> documented = new ArrayList<>();
    List<String> undocumented = new ArrayList<>();
    for (Key key : keys) {
      if (documented.stream().anyMatch(p -> key.path().startsWith(p + "."))) {
        continue;
      }
      if (key.documented()) {
        documented.add(key.path());
      } else if (key.hasInlineValue() || keys.stream().noneMatch(k -> k.path().startsWith(key.path() + "."))) {
        undocumented.add(key.path());
      }
    }
    assertThat(undocumented).as("values without a # -- comment").isEmpty();
    assertThat(documented).hasSizeGreaterThan(50);
    assertThat(documented).allSatisfy(path -> assertThat(docs).as("docs/KUBERNETES.md").contains("`" + path + "`"));
  }

  private static List<Key> keys(List<String> lines) {
    List<Key> keys = new ArrayList<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    boolean commented = false;
    for (String line : lines) {
      String s = line.strip();
      if (s.startsWith("#")) {
        commented |= s.startsWith("# --");
        continue;
      }
      Matcher m = KEY.matcher(line);
      if (s.isEmpty() || s.startsWith("-") || !m.matches()) {
        commented = false;
        continue;
      }
      int indent = m.group(1).length();
      while (!stack.isEmpty() && (int) stack.peek()[0] >= indent) {
        stack.pop();
      }
      List<String> parts = new ArrayList<>();
      stack.descendingIterator().forEachRemaining(e -> parts.add((String) e[1]));
      parts.add(m.group(2));
      stack.push(new Object[] {indent, m.group(2)});
      keys.add(new Key(String.join(".", parts), commented, !m.group(3).isBlank()));
      commented = false;
    }
    return keys;
  }
}
