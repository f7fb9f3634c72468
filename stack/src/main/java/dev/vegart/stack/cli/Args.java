package dev.vegart.stack.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value}, {@code --name=value}, boolean {@code --flag}s and
 * positionals. Unknown options and missing values are usage errors ({@link Exit#USAGE}).
 */
final class Args {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positionals = new ArrayList<>();

  /**
   * @param valued option names that take a value (aliases map to them: {@code "-o" -> "--output"})
   * @param flags option names without a value
   */
  static Args parse(String[] argv, Set<String> valued, Set<String> flags, Map<String, String> aliases) {
    Args args = new Args();
    boolean onlyPositionals = false;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (onlyPositionals || !a.startsWith("-") || a.equals("-")) {
        args.positionals.add(a);
        continue;
      }
      if (a.equals("--")) {
        onlyPositionals = true;
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      name = aliases.getOrDefault(name, name);
      if (flags.contains(name) && value == null) {
        args.options.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.length) {
            throw new CliException(Exit.USAGE, name + " needs a value");
          }
          value = argv[++i];
        }
        args.options.put(name, value);
      } else {
        throw new CliException(Exit.USAGE, "unknown option " + a);
      }
    }
    return args;
  }

  String option(String name) {
    return options.get(name);
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  List<String> positionals() {
    return positionals;
  }

  /** An integer option within [min, max], or {@code fallback} when absent. */
  Integer integer(String name, Integer fallback, long min, long max) {
    Long v = number(name, min, max);
    if (v == null) {
      return fallback;
    }
    return Math.toIntExact(v);
  }

  /** A whole-number option within [min, max], or null when absent. */
  Long number(String name, long min, long max) {
    String text = options.get(name);
    if (text == null) {
      return null;
    }
    try {
      long v = Long.parseLong(text.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new CliException(Exit.USAGE, name + " must be a whole number from " + min + " to " + max + ", got '" + text + "'");
  }
}
