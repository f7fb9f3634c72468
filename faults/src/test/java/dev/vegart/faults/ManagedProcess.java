package dev.vegart.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code vegart} component running as its own OS process, its output in a log file. */
final class ManagedProcess {
  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private final Pattern ready;
  private Process process;
  private int starts;

  ManagedProcess(String name, List<String> command, Map<String, String> env, Path log, Pattern ready) {
    this.name = name;
    this.command = command;
    this.env = env;
    this.log = log;
    this.ready = ready;
  }

  /** Starts the process and waits for its ready line; returns the ready line's first group, if any. */
  String start(Duration timeout) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      long offset = Files.exists(log) ? Files.size(log) : 0;
      process = pb.start();
      starts++;
      return awaitLine(ready, offset, timeout).group(ready.matcher("").groupCount() > 0 ? 1 : 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a line matching {@code pattern} written after {@code offset} bytes of the log. */
  Matcher awaitLine(Pattern pattern, long offset, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = tail(offset);
      Matcher m = pattern.matcher(text);
      if (m.find()) {
        return m;
      }
      if (process != null && !process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before '" + pattern + "'; log tail:\n" + lastLines(4000));
      }
      LockSupport.parkNanos(100_000_000L);
    }
    throw new AssertionError(name + " did not log '" + pattern + "' within " + timeout + "; log tail:\n" + lastLines(4000));
  }

  long logSize() {
    try {
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String tail(long offset) {
    try {
      byte[] all = Files.readAllBytes(log);
      return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String lastLines(int chars) {
    String all = tail(0);
    return all.length() <= chars ? all : all.substring(all.length() - chars);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  void kill9() {
    process.destroyForcibly();
    waitExit(Duration.ofSeconds(20));
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  int terminate(Duration timeout) {
    process.destroy();
    return waitExit(timeout);
  }

  private int waitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
        throw new AssertionError(name + " did not exit within " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  String name() {
    return name;
  }

  int starts() {
    return starts;
  }
}
