package dev.vegart.worker.scheduling.bench;

/**
 * What one simulated run measured: throughput over the measured window and latency percentiles (arrival
 * to images decoded), plus how the device was used.
 */
record RunResult(
    double throughputImagesPerS,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double meanUnetBatch,
    double meanDecodeBatch,
    double busyShare) {}
