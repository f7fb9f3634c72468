package dev.vegart.stack.cli;

/** Ends a command with {@code exitCode} after printing {@code message} (one plain line) on standard error. */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
