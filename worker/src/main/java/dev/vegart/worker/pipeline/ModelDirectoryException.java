package dev.vegart.worker.pipeline;

/** A model directory is missing a file, holds a corrupt one, or declares something the worker cannot run. Fatal at start. */
public final class ModelDirectoryException extends RuntimeException {
  public ModelDirectoryException(String message) {
    super(message);
  }

  public ModelDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
