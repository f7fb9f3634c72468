/**
 * W3C Trace Context ({@code traceparent}) parsing, formatting and propagation helpers, and the MDC fields of
 * log lines. No OpenTelemetry dependency: components carry the context by hand through HTTP and Kafka headers.
 */
package dev.vegart.common.tracing;
