/**
 * W3C Trace Context ({@code traceparent}) parsing, formatting and propagation helpers, the MDC fields of log
 * lines, and the optional OpenTelemetry span export ({@link dev.vegart.common.tracing.Otel}, off by default):
 * components carry the context by hand through HTTP and Kafka headers, and the exported spans use the same ids.
 */
package dev.vegart.common.tracing;
