package dev.vegart.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceContextTest {
  private static final String EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void parsesTheSpecificationExampleAndFormatsItBack() {
    TraceContext trace = TraceContext.parse(EXAMPLE).orElseThrow();
    assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(trace.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(trace.sampled()).isTrue();
    assertThat(trace.traceparent()).isEqualTo(EXAMPLE);
    assertThat(TraceContext.fromHeaderBytes(trace.headerBytes())).contains(trace);
  }

  @Test
  void keepsTheUnsampledFlag() {
    TraceContext trace = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").orElseThrow();
    assertThat(trace.sampled()).isFalse();
    assertThat(trace.child().traceparent()).endsWith("-00");
  }

  @Test
  void rejectsWhatTheSpecificationCallsInvalid() {
    assertThat(TraceContext.parse(null)).isEmpty();
    assertThat(TraceContext.parse("")).isEmpty();
    assertThat(TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).as("zero trace id").isEmpty();
    assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).as("zero span id").isEmpty();
    assertThat(TraceContext.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).as("version ff").isEmpty();
    assertThat(TraceContext.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).as("upper case").isEmpty();
    assertThat(TraceContext.parse(EXAMPLE + "-extra")).as("version 00 with more fields").isEmpty();
    assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01")).as("misplaced dash").isEmpty();
    assertThat(TraceContext.fromHeaderBytes(null)).isEmpty();
  }

  @Test
  void acceptsALaterVersionWithExtraFields() {
    assertThat(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future"))
        .map(TraceContext::traceId).contains("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void aChildKeepsTheTraceAndGetsANewSpan() {
    TraceContext root = TraceContext.newRoot();
    TraceContext child = root.child();
    assertThat(child.traceId()).isEqualTo(root.traceId());
    assertThat(child.spanId()).isNotEqualTo(root.spanId());
    assertThat(TraceContext.parse(root.traceparent())).contains(root);
    assertThat(TraceContext.newRoot().traceId()).isNotEqualTo(root.traceId());
  }

  @Test
  void refusesToBuildAnInvalidContext() {
    assertThatThrownBy(() -> new TraceContext("abc", "00f067aa0ba902b7", true)).isInstanceOf(IllegalArgumentException.class);
  }
}
