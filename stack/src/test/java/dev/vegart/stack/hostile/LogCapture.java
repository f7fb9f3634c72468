package dev.vegart.stack.hostile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every logback event of this JVM (message, arguments as formatted, MDC, stack trace) while open, with
 * the project's own loggers lowered to DEBUG so that debug lines are checked too. Thread-safe.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger root;
  private final Logger project;
  private final Level projectLevel;

  private LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    project = context.getLogger("dev.vegart");
    projectLevel = project.getLevel();
    setContext(context);
    setName("secret-scan");
  }

  static LogCapture open() {
    LogCapture capture = new LogCapture();
    capture.start();
    capture.root.addAppender(capture);
    capture.project.setLevel(Level.DEBUG);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
    event.getMDCPropertyMap().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    if (event.getThrowableProxy() != null) {
      b.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    synchronized (lines) {
      lines.add(b.toString());
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    root.detachAppender(this);
    project.setLevel(projectLevel);
    stop();
  }
}
