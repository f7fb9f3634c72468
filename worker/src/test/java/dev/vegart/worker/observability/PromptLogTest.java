package dev.vegart.worker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptLogTest {
  @Test
  void hidesThePromptUnlessTurnedOn() {
    assertThat(PromptLog.describe("a red circle", false)).doesNotContain("red").contains("12 characters");
    assertThat(PromptLog.describe("a red circle", true)).isEqualTo("\"a red circle\"");
  }
}
