package dev.vegart.worker.observability;

/**
 * What a log line may say about a prompt: by default only its length (prompts are user content and may be
 * personal); the full text only when an operator sets {@code VEGART_LOG_PROMPTS=true}, e.g. to debug a model
 * problem. Read once at class load.
 */
public final class PromptLog {
  private static final boolean ENABLED = Boolean.parseBoolean(System.getenv().getOrDefault("VEGART_LOG_PROMPTS", "false"));

  private PromptLog() {}

  public static String describe(String prompt) {
    return describe(prompt, ENABLED);
  }

  static String describe(String prompt, boolean full) {
    if (prompt == null) {
      return "(none)";
    }
    return full ? '"' + prompt + '"' : "(" + prompt.length() + " characters, VEGART_LOG_PROMPTS=true shows it)";
  }
}
