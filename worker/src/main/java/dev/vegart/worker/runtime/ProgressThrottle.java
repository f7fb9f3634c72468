package dev.vegart.worker.runtime;

import java.time.Clock;
import java.time.Duration;

/**
 * Decides which step reports of one job are worth a Kafka record: the first step, the last step, and otherwise
 * at most one every {@code interval}, never a value already sent. A fast GPU finishes a step every few tens of
 * milliseconds; one record per step per job would multiply the event topic's traffic for nothing a person can
 * see. Confined to the scheduler's device thread (one instance per job run).
 */
final class ProgressThrottle {
  private final Clock clock;
  private final long intervalMs;
  private int lastSent;
  private long lastSentAtMs = Long.MIN_VALUE;

  ProgressThrottle(Clock clock, Duration interval) {
    this.clock = clock;
    this.intervalMs = interval.toMillis();
  }

  /** Whether {@code stepsDone} of {@code stepsTotal} should be published now; if so, it is counted as sent. */
  boolean shouldSend(int stepsDone, int stepsTotal) {
    if (stepsDone <= lastSent) {
      return false;
    }
    long now = clock.millis();
    boolean due = lastSentAtMs == Long.MIN_VALUE || stepsDone >= stepsTotal || now - lastSentAtMs >= intervalMs;
    if (due) {
      lastSent = stepsDone;
      lastSentAtMs = now;
    }
    return due;
  }
}
