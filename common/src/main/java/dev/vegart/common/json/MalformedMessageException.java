package dev.vegart.common.json;

/** Bytes that cannot be read as the expected message: a poison record, never retried as is. */
public final class MalformedMessageException extends RuntimeException {
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
