package dev.vegart.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile read into stages of instructions: enough to check it statically, no engine needed. */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  record Instruction(String keyword, String arguments) {}

  record Stage(String image, String name, List<Instruction> instructions) {
    List<String> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** ENV of this stage, both {@code K=V K2=V2} and legacy {@code K V} forms. */
    Map<String, String> env() {
      Map<String, String> env = new HashMap<>();
      Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
      for (String args : all("ENV")) {
        Matcher m = pair.matcher(args);
        while (m.find()) {
          env.put(m.group(1), m.group(2).replace("\"", ""));
        }
      }
      return env;
    }
  }

  static Dockerfile read(Path file) {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.strip().startsWith("#")) {
          continue; // comments, also those inside a continued RUN, which Docker drops too
        }
        if (line.endsWith("\\")) {
          current.append(line, 0, line.length() - 1).append(' ');
          continue;
        }
        current.append(line);
        if (!current.toString().isBlank()) {
          logical.add(current.toString().strip());
        }
        current.setLength(0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> globalArgs = new HashMap<>();
    List<Stage> stages = new ArrayList<>();
    for (String line : logical) {
      String[] parts = line.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
      String args = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        String[] from = args.split("\\s+");
        String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "";
        stages.add(new Stage(substitute(from[0], globalArgs), name, new ArrayList<>()));
      } else if (stages.isEmpty() && keyword.equals("ARG")) {
        String[] kv = args.split("=", 2);
        globalArgs.put(kv[0], kv.length > 1 ? kv[1] : "");
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
      }
    }
    return new Dockerfile(Map.copyOf(globalArgs), List.copyOf(stages));
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  Stage stage(String name) {
    return stages.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static String substitute(String text, Map<String, String> args) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
    }
    return m.appendTail(out).toString();
  }
}
