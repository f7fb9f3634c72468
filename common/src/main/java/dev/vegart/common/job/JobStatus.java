package dev.vegart.common.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The life of a job. {@code queued -> running -> succeeded | failed}; canceled and expired end it early. */
public enum JobStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELED,
  EXPIRED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean terminal() {
    return this != QUEUED && this != RUNNING;
  }

  public static JobStatus parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
