package dev.vegart.common.tracing;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The MDC keys every component logs with (they become fields of the JSON log line), and a scope that sets
 * them for the duration of a block on the current thread and restores what was there before. Use the scope
 * wherever a thread picks up work for a job (the worker's device, upload and Kafka callback threads, the
 * gateway's event consumer); never put prompts or API keys in the MDC.
 */
public final class LogFields {
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String JOB_ID = "job_id";
  public static final String KEY_ID = "key_id";

  private LogFields() {}

  /** Sets {@code fields} (null values are skipped) until the returned scope is closed. */
  public static Scope with(Map<String, String> fields) {
    Map<String, String> previous = new HashMap<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getValue() != null) {
        previous.put(e.getKey(), MDC.get(e.getKey()));
        MDC.put(e.getKey(), e.getValue());
      }
    }
    return new Scope(previous);
  }

  /** The job's fields: its id, its key's id and the trace (each may be null). */
  public static Scope forJob(String jobId, String keyId, TraceContext trace) {
    Map<String, String> fields = new HashMap<>();
    fields.put(JOB_ID, jobId);
    fields.put(KEY_ID, keyId);
    if (trace != null) {
      fields.put(TRACE_ID, trace.traceId());
      fields.put(SPAN_ID, trace.spanId());
    }
    return with(fields);
  }

  /** Restores the MDC entries a {@link #with} replaced. Not thread-safe: close it on the thread that opened it. */
  public static final class Scope implements AutoCloseable {
    private final Map<String, String> previous;

    private Scope(Map<String, String> previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      previous.forEach((key, value) -> {
        if (value == null) {
          MDC.remove(key);
        } else {
          MDC.put(key, value);
        }
      });
    }
  }
}
