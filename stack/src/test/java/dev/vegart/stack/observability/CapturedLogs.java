package dev.vegart.stack.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** Every log event of this JVM while attached, with its MDC and message captured at the moment it was logged. */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

  static CapturedLogs attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CapturedLogs logs = new CapturedLogs();
    logs.setContext(context);
    logs.setName("captured");
    logs.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    return logs;
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    events.add(event);
  }

  List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /** Waits for an event matching {@code which}. */
  ILoggingEvent await(Predicate<ILoggingEvent> which, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (ILoggingEvent e : events) {
        if (which.test(e)) {
          return e;
        }
      }
      LockSupport.parkNanos(50_000_000L);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no log line " + what + " in " + timeout);
  }

  @Override
  public void close() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    stop();
  }
}
